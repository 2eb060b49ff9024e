import { createRequire } from 'node:module';
import { sql } from 'drizzle-orm';
import { fromPglite, PgBoss } from 'pg-boss';
import type { Database } from '#src/db/client.ts';
import type { Logger } from '#src/shared/logger.ts';
import { JOB_RETRY, type JobName, SCHEDULES } from './definitions/index.ts';

/**
 * Creates pg-boss on the app's database (not started: see `startBoss`): on PGlite it shares the one connection,
 * on PostgreSQL it keeps a small pool of its own.
 *
 * Timings chosen for fast starts and fast recovery after a killed worker: jobs wake their worker through
 * LISTEN/NOTIFY where available (polling 0.5 s otherwise), a heartbeat of 10 s marks a running job of a dead
 * worker as failed (then retried) within ~30 s instead of the 15-minute default expiry.
 */
export function createBoss(database: Database, logger: Logger): PgBoss {
  const boss =
    database.driver === 'pglite' && database.pglite
      ? new PgBoss({
          db: fromPglite(database.pglite),
          backend: 'pglite',
          // PGlite delivers NOTIFY in-process: a job sent (e.g. a migration task) starts at once, not at the next poll.
          useListenNotify: true,
          superviseIntervalSeconds: 10,
          monitorIntervalSeconds: 10,
        })
      : new PgBoss({
          connectionString: database.url,
          max: 4,
          useListenNotify: true,
          superviseIntervalSeconds: 10,
          monitorIntervalSeconds: 10,
        });
  boss.on('error', (error: unknown) => logger.error({ err: error }, 'job queue error'));
  boss.on('warning', (warning: unknown) => logger.debug({ warning }, 'job queue warning'));
  return boss;
}

/** Starts pg-boss and creates what is missing: a queue per job name (one lookup for all), the cron schedules. */
export async function startBoss(boss: PgBoss): Promise<void> {
  await boss.start();
  const names = Object.keys(JOB_RETRY) as JobName[];
  const existing = new Set((await boss.getQueues(names)).map((queue) => queue.name));
  for (const name of names) {
    if (!existing.has(name))
      await boss.createQueue(name, { ...JOB_RETRY[name], heartbeatSeconds: 10, notify: true });
  }
  // Written only when missing or changed (every process may write them; pg-boss's cron pass sends each
  // occurrence once).
  const schedules = new Map((await boss.getSchedules()).map((schedule) => [schedule.name, schedule.cron]));
  for (const [name, cron] of Object.entries(SCHEDULES)) {
    if (schedules.get(name) !== cron) await boss.schedule(name, cron, {}, { tz: 'UTC' });
  }
}

/** The schema version this pg-boss release installs (its package.json; pg-boss migrates older ones at start). */
const BOSS_SCHEMA_VERSION = (
  createRequire(import.meta.url)('pg-boss/package.json') as { pgboss: { schema: number } }
).pgboss.schema;

/**
 * Whether pg-boss needs nothing created or changed (a warm start): its schema at this release's version, a queue
 * for every job, the cron schedules as written. Read as the owner before the app role is entered. Then pg-boss
 * may start after the server is ready, even on PGlite where it runs in the app role's session (it only reads and
 * writes its tables, which the app role may).
 */
export async function isBossCurrent(database: Database): Promise<boolean> {
  const installed = await database.db.execute(
    sql`select to_regclass('pgboss.version') is not null as installed`,
  );
  if ((installed as unknown as { rows: Array<{ installed: boolean }> }).rows[0]?.installed !== true)
    return false;
  const names = Object.keys(JOB_RETRY);
  const result = await database.db.execute(sql`
    select (select max(version) from pgboss.version) as version,
      (select count(*) from pgboss.queue where name in ${names}) as queues,
      (select coalesce(json_object_agg(name, cron), '{}') from pgboss.schedule where key = '') as schedules`);
  const [row] = (
    result as unknown as {
      rows: Array<{ version: number; queues: number | string; schedules: Record<string, string> | string }>;
    }
  ).rows;
  if (!row || Number(row.version) !== BOSS_SCHEMA_VERSION || Number(row.queues) !== names.length)
    return false;
  const schedules = typeof row.schedules === 'string' ? JSON.parse(row.schedules) : row.schedules;
  return Object.entries(SCHEDULES).every(([name, cron]) => schedules[name] === cron);
}
