import { cancelPendingItems } from '#src/db/queries/migration/migration-task-items.queries.ts';
import {
  lockTask,
  type MigrationTaskRow,
  updateTask,
} from '#src/db/queries/migration/migration-tasks.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { SiteTenant, UseCaseContext } from '../use-case.ts';
import { getMigrationTaskRow } from './get-migration-task.ts';

/**
 * Cancels a task: a queued task is cancelled at once (every item `cancelled`); a running one is asked to stop,
 * and its job cancels the customers not yet started before it picks the next one. Finished customers stay
 * migrated. Cancelling a cancelled task again is a no-op.
 * @throws {AppError} `migration.task_not_found`, `migration.not_cancellable` (already finished), `auth.forbidden`
 */
export async function cancelMigration(
  ctx: UseCaseContext<SiteTenant>,
  input: { taskId: string },
): Promise<MigrationTaskRow> {
  const { services, actor } = ctx;
  await getMigrationTaskRow(ctx, input.taskId);
  return services.db.transaction(async (tx) => {
    const task = (await lockTask(tx, input.taskId))!;
    const now = services.clock.now();
    if (task.status === 'cancelled') return task;
    if (task.status === 'succeeded' || task.status === 'failed') {
      throw new AppError('migration.not_cancellable', `The task already finished (${task.status}).`, {
        data: { status: task.status },
      });
    }
    if (task.status === 'queued') {
      await cancelPendingItems(tx, task.id, now);
      await updateTask(tx, task.id, { status: 'cancelled', cancelRequestedAt: now, finishedAt: now });
    } else if (!task.cancelRequestedAt) {
      await updateTask(tx, task.id, { cancelRequestedAt: now });
    }
    await recordEvent(tx, services.clock, {
      orgId: task.orgId,
      action: 'customer_migration.cancelled',
      actor,
      target: { type: 'migration_task', id: task.id },
      siteId: task.siteId,
    });
    return (await lockTask(tx, task.id))!;
  });
}
