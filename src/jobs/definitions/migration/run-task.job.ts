import { z } from 'zod';
import { defineJob } from '../define-job.ts';

/**
 * `migration.run-task`: runs or resumes a migration task. Safe to run twice or after a crash: each customer is
 * migrated in its own transaction together with its item's completion, and finished items are skipped.
 * Retried often (20 times, from 1 s): a task interrupted by a dead worker resumes where it stopped.
 */
export const runMigrationTaskJob = defineJob({
  name: 'migration.run-task',
  schema: z.object({ taskId: z.string().min(1).max(64) }),
  retry: { retryLimit: 20, retryDelay: 1, retryBackoff: true },
  concurrency: 1,
  handler: async () => {
    const { runMigrationTask } = await import('#src/domain/migration/run-migration-task.ts');
    return (services, payload) => runMigrationTask(services, payload.taskId);
  },
});
