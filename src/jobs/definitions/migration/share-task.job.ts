import { z } from 'zod';
import { defineJob } from '../define-job.ts';

/**
 * `migration.share-task`: another worker process joins a big running task on PostgreSQL (`joinMigrationTask`):
 * its runners claim customers with `SKIP LOCKED`, so more worker processes migrate a bulk task faster. Sent by
 * the task's first runner and by each process that joins; passed on when it lands where the task already runs.
 */
export const shareMigrationTaskJob = defineJob({
  name: 'migration.share-task',
  schema: z.object({ taskId: z.string().min(1).max(64) }),
  retry: { retryLimit: 2, retryDelay: 1, retryBackoff: true },
  concurrency: 1,
  handler: async () => {
    const { joinMigrationTask } = await import('#src/domain/migration/run-migration-task.ts');
    return (services, payload) => joinMigrationTask(services, payload.taskId);
  },
});
