import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { APP_ROLE } from './app-role.ts';
import { analyzeStaleTables } from './pglite-statistics.ts';

/** PGlite's auto-analyze: tables that grew get fresh statistics, and the app keeps its role. */
describe.skipIf(Boolean(process.env.DATABASE_URL))('PGlite statistics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer({ workers: false });
  }, 120_000);
  afterAll(() => server.close());

  it('analyzes a table that grew since its statistics were taken, once, and leaves the app role in place', async () => {
    const pglite = server.services.database.pglite!;
    const stats = async () =>
      (
        await pglite.query<{ reltuples: number }>(
          `select reltuples from pg_class where oid = 'public.grown_for_test'::regclass`,
        )
      ).rows[0]!.reltuples;
    await pglite.exec(`reset role;
      create table grown_for_test (id int primary key, body text);
      analyze grown_for_test;
      insert into grown_for_test select g, repeat('x', 100) from generate_series(1, 5000) g;
      set role ${APP_ROLE};`);
    expect(await stats()).toBe(0);
    let calls = 0;
    const analyzed = await analyzeStaleTables(pglite, async () => {
      calls++;
    });
    expect(analyzed).toContain('grown_for_test');
    expect(calls).toBe(analyzed.length);
    expect(await stats()).toBe(5000);
    // Nothing grew since: nothing to do.
    expect(await analyzeStaleTables(pglite, async () => {})).not.toContain('grown_for_test');
    const [role] = (await pglite.query<{ user: string }>('select current_user as user')).rows;
    expect(role!.user).toBe(APP_ROLE);
  });
});
