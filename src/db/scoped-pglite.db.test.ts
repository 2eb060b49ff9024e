import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { rowsOf } from './queries/raw-rows.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

/** Padding that makes a statement long enough to be worth preparing (`PreparedStatements`). */
const LONG = `/* ${'x'.repeat(320)} */`;

async function preparedLike(marker: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await server.services.db.execute(
      sql`select count(*)::int as n from pg_prepared_statements where statement like ${`%${marker}%`}`,
    ),
  );
  return row!.n;
}

/**
 * PGlite prepares long writes, and every long statement inside a transaction, but never a long read outside one:
 * it never analyzes, and with every read prepared a 10,000-request migration took 29.5 s instead of 0.8 s.
 */
describe.skipIf(process.env.DATABASE_URL)('prepared statements on PGlite', () => {
  it('prepares a long write, not a long read outside a transaction, and any long statement inside one', async () => {
    const { db } = server.services;
    const write = (marker: string) =>
      sql`update sites set name = name where id = ${'no-such-site'} ${sql.raw(`/* ${marker} */ ${LONG}`)}`;
    const read = (marker: string) =>
      sql`select count(*) from sites where id = ${'no-such-site'} ${sql.raw(`/* ${marker} */ ${LONG}`)}`;

    await db.execute(write('probe-write-outside'));
    await db.execute(read('probe-read-outside'));
    await db.transaction((tx) => tx.execute(read('probe-read-inside')));

    expect(await preparedLike('probe-write-outside')).toBe(1);
    expect(await preparedLike('probe-read-outside')).toBe(0);
    expect(await preparedLike('probe-read-inside')).toBe(1);
  });
});
