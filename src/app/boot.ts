import type { PgBoss } from 'pg-boss';
import type { Config } from '#src/config/env.ts';
import { enterAppRole, GRANT_QUEUE } from '#src/db/app-role.ts';
import type { Database } from '#src/db/client.ts';
import { migrateDatabase } from '#src/db/migrate.ts';
import { openDatabase } from '#src/db/open.ts';
import { createPasswordHashing } from '#src/domain/accounts/passwords.ts';
import { resumeMigrationTasks } from '#src/domain/migration/resume-migrations.ts';
import type { AppServices } from '#src/domain/services.ts';
import { createBoss, isBossCurrent, startBoss } from '#src/jobs/boss.ts';
import { createPgBossQueue } from '#src/jobs/queue.ts';
import { startWorkers } from '#src/jobs/runner.ts';
import { systemClock } from '#src/shared/clock.ts';
import { createLogger, type Logger } from '#src/shared/logger.ts';

export interface Runtime {
  services: AppServices;
  boss: PgBoss;
  /**
   * Resolves when the job queue and (with `startWorkers`) the workers run; already resolved unless
   * `queueAfterReady` deferred them. Rejects when they could not start.
   */
  started: Promise<void>;
  /** Stops taking jobs, lets running ones finish (or releases them after `timeoutMs`), closes the database. */
  close(timeoutMs?: number): Promise<void>;
}

export interface BootOptions {
  logger?: Logger;
  /** An already-open database (tests); otherwise the configured one is opened. */
  database?: Database;
  /** Run job workers in this process (roles `worker` and `all`). */
  startWorkers: boolean;
  /**
   * Return before the workers start and, on a warm start (pg-boss current: `isBossCurrent`), before pg-boss
   * starts (`started` says when they run): the server answers sooner. Writes wait for the queue at the HTTP edge
   * (`createApp`), before their transaction: on PGlite pg-boss shares the one connection, where a send inside a
   * transaction could not wait for it. A first start, or one that must create queues or schedules, starts pg-boss
   * first, as the owner.
   */
  queueAfterReady?: boolean;
}

/** Opens and migrates the database, starts the queue (and workers), and assembles the services. */
export async function boot(config: Config, options: BootOptions): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  // Start-up phases at debug level (LOG_LEVEL=debug), to see where a slow start spends its time; `at` counts
  // from the process' start.
  let since = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    logger.debug({ phase: name, ms: Math.round(now - since), at: Math.round(now) }, 'boot');
    since = now;
  };
  phase('imports');
  const database = options.database ?? (await openDatabase(config));
  phase('open database');
  try {
    await migrateDatabase(database);
    phase('migrations');
    const boss = createBoss(database, logger);
    const queueFirst = !options.queueAfterReady || !(await isBossCurrent(database));
    if (queueFirst) {
      await startBoss(boss);
      phase('job queue');
    }
    // From here on the app runs as a role that row-level security applies to (migrations and pg-boss ran as owner).
    await enterAppRole(database);
    const queueStarted = queueFirst
      ? Promise.resolve()
      : startBoss(boss).then(() =>
          // PostgreSQL: pg-boss' own pool is the owner; grant what it may have added. PGlite runs it in the app role.
          database.driver === 'postgres' ? boss.getDb().executeSql(GRANT_QUEUE) : undefined,
        );
    const services: AppServices = {
      config,
      database,
      db: database.db,
      queue: createPgBossQueue(boss, queueStarted, database.driver),
      clock: systemClock,
      logger,
      passwords: createPasswordHashing(config.ARGON2_MEMORY_KIB),
    };
    const startJobs = async () => {
      await queueStarted;
      if (!options.startWorkers) return;
      await startWorkers(boss, services);
      // Tasks of a worker that died resume now, not after pg-boss notices the dead job.
      await resumeMigrationTasks(services);
    };
    const started = startJobs().then(() =>
      phase(options.queueAfterReady ? 'queue and workers, after ready' : 'workers'),
    );
    if (!options.queueAfterReady) await started;
    return {
      services,
      boss,
      started,
      async close(timeoutMs = 10_000) {
        await started.catch(() => {});
        await boss.stop({ graceful: true, timeout: timeoutMs, close: true });
        await database.close();
      },
    };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}
