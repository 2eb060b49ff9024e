/**
 * @fileoverview A transaction PostgreSQL picks as a deadlock victim runs again and commits, instead of failing the
 * request with a 500 (`retry-on-conflict.ts`). Two connections are needed to make a deadlock: PostgreSQL only.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg } from '#src/test/factories/directory.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

const ON_PG = Boolean(process.env.DATABASE_URL);

describe.skipIf(!ON_PG)('a deadlock victim (PostgreSQL)', { timeout: 120_000 }, () => {
  let server: TestServer;
  let other: pg.Client;
  beforeAll(async () => {
    server = await createTestServer({ workers: false });
    other = new pg.Client({ connectionString: server.services.database.url });
    await other.connect();
  }, 120_000);
  afterAll(async () => {
    await other?.end();
    await server?.close();
  });

  /** Resolves once a backend other than `other` waits for a lock. */
  async function someoneWaits(): Promise<void> {
    for (let i = 0; i < 1200; i++) {
      const { rows } = await other.query(
        `select 1 from pg_stat_activity where wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
      );
      if (rows.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('no backend ever waited for a lock');
  }

  it('is run again and commits', async () => {
    const a = await buildOrg(server.services);
    const b = await buildOrg(server.services);
    let attempts = 0;
    let lockedFirst!: () => void;
    const firstLockTaken = new Promise<void>((resolve) => (lockedFirst = resolve));
    let othersTurn!: () => void;
    const mayGoOn = new Promise<void>((resolve) => (othersTurn = resolve));
    // The app's transaction: A, then B. The other connection: B, then A, after the app already waits for B,
    // so the app's deadlock check fires first and PostgreSQL aborts the app's transaction.
    const app = server.services.db.transaction(async (tx) => {
      attempts += 1;
      await tx.execute(sql`update organizations set name = name where id = ${a.id}`);
      if (attempts === 1) {
        lockedFirst();
        await mayGoOn;
      }
      await tx.execute(
        sql`update organizations set name = 'Renamed by the retried transaction' where id = ${b.id}`,
      );
      return attempts;
    });
    await firstLockTaken;
    await other.query('begin');
    await other.query('update organizations set name = name where id = $1', [b.id]);
    othersTurn();
    await someoneWaits();
    const otherDone = other
      .query('update organizations set name = name where id = $1', [a.id])
      .then(() => other.query('commit'));
    expect(await app).toBe(2);
    await otherDone;
    const { rows } = await other.query('select name from organizations where id = $1', [b.id]);
    expect(rows[0].name).toBe('Renamed by the retried transaction');
  });
});
