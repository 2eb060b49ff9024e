import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '#src/db/client.ts';
import { openPglite } from '#src/db/pglite.ts';
import { openPostgres } from '#src/db/postgres.ts';
import { templateNames, testConfig } from './test-env.ts';

/**
 * A fresh, migrated database of its own for one test file (or one test): PGlite in memory from the run's
 * template, or a new PostgreSQL database copied from the template database. With `empty`, a brand-new database
 * with no migrations applied (for migration tests). `close()` drops it.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<Database> {
  const { DATABASE_URL } = testConfig();
  const { pgliteFile: PGLITE_TEMPLATE_FILE, pgDatabase: PG_TEMPLATE_DB } = templateNames(
    inject('gatehouseTemplateRun'),
  );
  if (!DATABASE_URL) {
    if (options.empty) return openPglite({ dataDir: 'memory://' });
    const dump = readFileSync(PGLITE_TEMPLATE_FILE);
    return openPglite({ dataDir: 'memory://', loadDataDir: new Blob([dump]) });
  }
  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(
      options.empty ? `create database ${name}` : `create database ${name} template ${PG_TEMPLATE_DB}`,
    );
  } finally {
    await admin.end();
  }
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), { max: 5 });
  return {
    ...database,
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await cleanup.end();
    },
  };
}
