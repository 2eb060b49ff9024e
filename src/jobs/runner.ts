import type { PgBoss } from 'pg-boss';
import type { AppServices } from '#src/domain/services.ts';
import { JOB_DEFINITIONS } from './definitions/index.ts';

/**
 * Starts a worker per job definition. Payloads are parsed with the job's zod schema; a payload that does
 * not parse fails the job without retrying forever (it never will parse).
 */
export async function startWorkers(boss: PgBoss, services: AppServices): Promise<void> {
  for (const definition of JOB_DEFINITIONS) {
    await boss.work(
      definition.name,
      {
        localConcurrency: definition.concurrency,
        pollingIntervalSeconds: 0.5,
        // With LISTEN/NOTIFY pg-boss otherwise polls only every 30 s, so a missed notification (e.g. a job sent
        // while the worker was still subscribing at boot) would wait that long; 2 s bounds it cheaply.
        notifyPollingIntervalSeconds: 2,
        batchSize: 1,
      },
      async ([job]) => {
        if (!job) return;
        const parsed = definition.schema.safeParse(job.data);
        if (!parsed.success) {
          services.logger.error(
            { job: job.id, name: definition.name, issues: parsed.error.issues },
            'invalid job payload',
          );
          return { skipped: 'invalid payload' };
        }
        const handle = await definition.handler();
        const status = await handle(services, parsed.data as never);
        return { status };
      },
    );
  }
}
