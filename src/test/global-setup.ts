import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { boot } from '#src/app/boot.ts';
import { openPglite } from '#src/db/pglite.ts';
import { openPostgres } from '#src/db/postgres.ts';
import { templateNames, testConfig } from './helpers/test-env.ts';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Tests that spawn the `gatehouse` binary (the CLI tests, tests/faults) run the compiled build, as a user does:
 * rebuilt here once per run when src/ changed since the last build.
 */
function buildIfStale(): void {
  const result = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}${result.stderr}`);
}

/** Connects, or fails with what to do: the bare driver error ends in vitest's misleading "No test files found". */
async function connectAdmin(url: string): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
    return admin;
  } catch (error) {
    const shown = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    throw new Error(
      `Cannot use the test PostgreSQL at DATABASE_URL=${shown}: ${(error as Error).message}. ` +
        'Point DATABASE_URL at a reachable database, or run `npm test`, which starts a throwaway PostgreSQL.',
    );
  }
}

/**
 * Builds one migrated database (schema + pg-boss tables) per run; every test file then starts from a copy:
 * a PGlite dump loaded in memory, or `CREATE DATABASE … TEMPLATE` on PostgreSQL. Files never share data.
 */
export default async function globalSetup(project: TestProject): Promise<() => Promise<void>> {
  buildIfStale();
  const config = testConfig();
  const runId = `${process.pid}_${randomBytes(3).toString('hex')}`;
  project.provide('gatehouseTemplateRun', runId);
  const { pgliteFile: PGLITE_TEMPLATE_FILE, pgDatabase: PG_TEMPLATE_DB } = templateNames(runId);
  if (config.DATABASE_URL) {
    const url = config.DATABASE_URL;
    const admin = await connectAdmin(url);
    await admin.query(`drop database if exists ${PG_TEMPLATE_DB} with (force)`);
    await admin.query(`create database ${PG_TEMPLATE_DB}`);
    await admin.end();
    const database = await openPostgres(withDatabase(config.DATABASE_URL, PG_TEMPLATE_DB), { max: 2 });
    const runtime = await boot(config, { database, startWorkers: false });
    await runtime.close(1000);
    return async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`drop database if exists ${PG_TEMPLATE_DB} with (force)`).catch(() => {});
      await admin.end();
    };
  }
  const database = await openPglite({ dataDir: 'memory://' });
  const runtime = await boot(config, {
    database: { ...database, close: async () => {} },
    startWorkers: false,
  });
  await runtime.close(1000);
  const dump = await database.pglite!.dumpDataDir('gzip');
  mkdirSync(dirname(PGLITE_TEMPLATE_FILE), { recursive: true });
  // Written aside and renamed, so a reader never sees half a file.
  writeFileSync(`${PGLITE_TEMPLATE_FILE}.tmp`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${PGLITE_TEMPLATE_FILE}.tmp`, PGLITE_TEMPLATE_FILE);
  await database.close();
  return async () => rmSync(PGLITE_TEMPLATE_FILE, { force: true });
}
