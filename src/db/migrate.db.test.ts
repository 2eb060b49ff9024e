import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#src/app/create-app.ts';
import { createTestDatabase } from '#src/test/helpers/database.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { testConfig } from '#src/test/helpers/test-env.ts';
import type { Database } from './client.ts';
import {
  countAppliedMigrations,
  countShippedMigrations,
  MIGRATIONS_FOLDER,
  migrateDatabase,
} from './migrate.ts';
import { organizations } from './schema/index.ts';

/** A brand-new, empty database on the driver under test (no template, no migrations). */
const openEmptyDatabase = (): Promise<Database> => createTestDatabase({ empty: true });

async function tableNames(database: Database): Promise<string[]> {
  const result = await database.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return (result as unknown as { rows: Array<{ table_name: string }> }).rows.map((r) => r.table_name);
}

let empty: Database;
let server: TestServer;
beforeAll(async () => {
  [empty, server] = await Promise.all([openEmptyDatabase(), createTestServer({ workers: false })]);
});
afterAll(async () => {
  await Promise.all([empty?.close(), server?.close()]);
});

describe(`migrations (${testConfig().DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('readyz answers 503 naming the missing migrations on an unmigrated database', async () => {
    const app = createApp({ ...server.services, database: empty, db: empty.db });
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'unavailable',
      checks: { database: 'ok', migrations: `0 of ${countShippedMigrations()} applied` },
    });
  });

  it('migrates a fresh database: every shipped migration applied, the domain tables exist', async () => {
    expect(await countAppliedMigrations(empty)).toBe(0);
    await migrateDatabase(empty);
    expect(await countAppliedMigrations(empty)).toBe(countShippedMigrations());
    const tables = await tableNames(empty);
    for (const table of [
      'organizations',
      'sites',
      'products',
      'accounts',
      'portal_customers',
      'audit_events',
    ])
      expect(tables).toContain(table);
  });

  it('migrating again is a no-op that keeps the data', async () => {
    await empty.db.insert(organizations).values({ id: 'org-kept', name: 'Kept', userManagement: 'original' });
    const before = await tableNames(empty);
    await migrateDatabase(empty);
    expect(await countAppliedMigrations(empty)).toBe(countShippedMigrations());
    expect(await tableNames(empty)).toEqual(before);
    const rows = await empty.db.select().from(organizations);
    expect(rows.map((r) => r.name)).toEqual(['Kept']);
  });

  it('readyz answers 200 once every migration is applied', async () => {
    const app = createApp({ ...server.services, database: empty, db: empty.db });
    const response = await app.request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
    expect((await server.request('GET', '/readyz')).status).toBe(200);
  });
});

describe('schema and migrations', () => {
  it('are in sync: drizzle-kit generate has nothing to add', () => {
    const work = mkdtempSync(join(tmpdir(), 'gatehouse-drift-'));
    try {
      cpSync(MIGRATIONS_FOLDER, join(work, 'migrations'), { recursive: true });
      const before = readdirSync(join(work, 'migrations')).sort();
      writeFileSync(
        join(work, 'drizzle.config.json'),
        JSON.stringify({
          dialect: 'postgresql',
          schema: resolve('src/db/schema/index.ts'),
          out: './migrations',
          migrations: { prefix: 'timestamp' },
        }),
      );
      const result = spawnSync(
        resolve('node_modules/.bin/drizzle-kit'),
        ['generate', '--config', 'drizzle.config.json', '--name', 'drift-check'],
        { cwd: work, encoding: 'utf8', timeout: 60_000 },
      );
      expect(result.status, result.stderr).toBe(0);
      const added = readdirSync(join(work, 'migrations'))
        .sort()
        .filter((file) => !before.includes(file));
      expect(
        added,
        'src/db/schema differs from the migrations: run `npm run db:generate -- <name>` and commit both',
      ).toEqual([]);
      expect(result.stdout).toContain('No schema changes');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
