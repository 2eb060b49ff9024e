import { listLiveTaskIds } from '#src/db/queries/migration/migration-tasks.queries.ts';
import type { AppServices } from '../services.ts';

/**
 * Called when a worker process starts: enqueues a run of every queued or running migration task, so a task whose
 * worker was killed resumes within a second of the restart instead of after pg-boss notices the dead job
 * (heartbeat ≥ 10 s + supervision interval). A second runner of a task that is in fact still running elsewhere is
 * harmless: each customer is migrated under a lock on its task item and finished items are skipped.
 * @returns how many tasks were re-enqueued
 */
export async function resumeMigrationTasks(services: Pick<AppServices, 'db' | 'queue'>): Promise<number> {
  const taskIds = await listLiveTaskIds(services.db);
  for (const taskId of taskIds) await services.queue.enqueue('migration.run-task', { taskId });
  return taskIds.length;
}
