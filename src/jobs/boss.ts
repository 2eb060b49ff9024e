import { fromPglite, PgBoss } from 'pg-boss';
import type { Database } from '#src/db/client.ts';
import type { Logger } from '#src/shared/logger.ts';
import { JOB_RETRY, type JobName, SCHEDULES } from './definitions/index.ts';

/**
 * Creates and starts pg-boss on the app's database: on PGlite it shares the one connection, on
 * PostgreSQL it keeps a small pool of its own. Queues are created (idempotently) for every job name.
 *
 * Timings chosen for fast starts and fast recovery after a killed worker: jobs wake their worker through
 * LISTEN/NOTIFY where available (polling 0.5 s otherwise), a heartbeat of 10 s marks a running job of a dead
 * worker as failed (then retried) within ~30 s instead of the 15-minute default expiry.
 */
export async function startBoss(database: Database, logger: Logger): Promise<PgBoss> {
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
  await boss.start();
  for (const name of Object.keys(JOB_RETRY) as JobName[]) {
    const existing = await boss.getQueue(name);
    if (!existing) await boss.createQueue(name, { ...JOB_RETRY[name], heartbeatSeconds: 10, notify: true });
  }
  // Upserts by name, so every process may write them; pg-boss's cron pass sends each occurrence once.
  for (const [name, cron] of Object.entries(SCHEDULES)) await boss.schedule(name, cron, {}, { tz: 'UTC' });
  return boss;
}
