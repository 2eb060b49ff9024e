import type { Executor } from '#src/db/client.ts';
import {
  countTaskItems,
  findTask,
  listTaskItems,
  type MigrationTaskRow,
} from '#src/db/queries/migration/migration-tasks.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { Actor } from '../policies/actor.ts';
import { assertCan } from '../policies/can.ts';
import { migrationReportRow } from './migration-report.ts';

export interface TaskCounts {
  total: number;
  pending: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

export interface TaskRef {
  orgId: string;
  siteId: string;
  taskId: string;
}

/**
 * Loads a task of the site for a caller who may migrate customers there. A task of another site or tenant
 * answers 404 like a missing one.
 * @throws {AppError} `auth.forbidden`, `directory.org_not_found`, `migration.task_not_found`
 */
export async function getMigrationTaskRow(
  db: Executor,
  actor: Actor,
  ref: TaskRef,
): Promise<MigrationTaskRow> {
  await assertCan(db, actor, 'customers.migrate', { orgId: ref.orgId, siteId: ref.siteId });
  const task = await findTask(db, ref.taskId);
  if (!task || task.orgId !== ref.orgId || task.siteId !== ref.siteId) {
    throw new AppError('migration.task_not_found', `No migration task ${ref.taskId} on this site.`);
  }
  return task;
}

/** Item counts per status of a task. */
export async function getTaskCounts(db: Executor, task: MigrationTaskRow): Promise<TaskCounts> {
  const byStatus = await countTaskItems(db, task.id);
  return {
    total: task.total,
    pending: byStatus.pending ?? 0,
    succeeded: byStatus.succeeded ?? 0,
    failed: byStatus.failed ?? 0,
    skipped: byStatus.skipped ?? 0,
    cancelled: byStatus.cancelled ?? 0,
  };
}

/**
 * A task with its counts and one page of per-customer results (ordered by position, after `afterPosition`).
 * @throws {AppError} see `getMigrationTaskRow`
 */
export async function getMigrationTask(
  db: Executor,
  actor: Actor,
  ref: TaskRef,
  page: { afterPosition?: number; limit: number },
) {
  const task = await getMigrationTaskRow(db, actor, ref);
  const [counts, items] = [
    await getTaskCounts(db, task),
    await listTaskItems(db, task.id, page.afterPosition, page.limit),
  ];
  return { task, counts, items };
}

/**
 * Every per-customer result of a task, for the downloadable report (≤ 1,000 rows by construction).
 * @throws {AppError} see `getMigrationTaskRow`
 */
export async function getMigrationReport(db: Executor, actor: Actor, ref: TaskRef) {
  const task = await getMigrationTaskRow(db, actor, ref);
  const counts = await getTaskCounts(db, task);
  const items = await listTaskItems(db, task.id, undefined, 100_000);
  return { task, counts, customers: items.map(migrationReportRow) };
}
