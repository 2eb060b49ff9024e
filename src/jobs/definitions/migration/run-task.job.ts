import { z } from 'zod';
import type { JobDefinition } from '../types.ts';

/**
 * `migration.run-task`: runs or resumes a migration task. Safe to run twice or after a crash: each customer is
 * migrated in its own transaction together with its item's completion, and finished items are skipped.
 */
export const runMigrationTaskJob: JobDefinition<'migration.run-task'> = {
  name: 'migration.run-task',
  schema: z.object({ taskId: z.string().min(1).max(64) }),
  concurrency: 1,
  handler: async () => {
    const { runMigrationTask } = await import('#src/domain/migration/run-migration-task.ts');
    return (services, payload) => runMigrationTask(services, payload.taskId);
  },
};
