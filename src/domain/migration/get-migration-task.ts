import type { Executor } from '#src/db/client.ts';
import {
  countTaskItems,
  listTaskItems,
  type TaskItemSort,
  type TaskItemStatus,
} from '#src/db/queries/migration/migration-task-items.queries.ts';
import { findTask, type MigrationTaskRow } from '#src/db/queries/migration/migration-tasks.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { assertCan } from '../policies/can.ts';
import type { SiteTenant, UseCaseContext } from '../use-case.ts';
import { migrationReportRow } from './migration-report.ts';

export interface TaskCounts {
  total: number;
  pending: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

/**
 * Loads a task of the site for a caller who may migrate customers there. A task of another site or tenant
 * answers 404 like a missing one.
 * @throws {AppError} `auth.forbidden`, `directory.org_not_found`, `migration.task_not_found`
 */
export async function getMigrationTaskRow(
  ctx: UseCaseContext<SiteTenant>,
  taskId: string,
): Promise<MigrationTaskRow> {
  const { orgId, siteId } = ctx.tenant;
  await assertCan(ctx.services.db, ctx.actor, 'customers.migrate', { orgId, siteId });
  const task = await findTask(ctx.services.db, taskId);
  if (!task || task.orgId !== orgId || task.siteId !== siteId) {
    throw new AppError('migration.task_not_found', `No migration task ${taskId} on this site.`);
  }
  return task;
}

/** Of a task's migrated customers, how many were linked to an existing account and how many got a new one. */
export interface TaskOutcomes {
  linked: number;
  created: number;
}

/** Item counts per status of a task, and the outcomes of the migrated ones (one statement). */
async function loadTaskCounts(
  db: Executor,
  task: MigrationTaskRow,
): Promise<{ counts: TaskCounts; outcomes: TaskOutcomes }> {
  const { byStatus, byOutcome } = await countTaskItems(db, task.id);
  return {
    counts: {
      total: task.total,
      pending: byStatus.pending ?? 0,
      succeeded: byStatus.succeeded ?? 0,
      failed: byStatus.failed ?? 0,
      skipped: byStatus.skipped ?? 0,
      cancelled: byStatus.cancelled ?? 0,
    },
    outcomes: { linked: byOutcome.linked ?? 0, created: byOutcome.created ?? 0 },
  };
}

/** The counts of a task just created: every customer pending (nothing to read). */
export function newTaskCounts(task: MigrationTaskRow): TaskCounts {
  return { total: task.total, pending: task.total, succeeded: 0, failed: 0, skipped: 0, cancelled: 0 };
}

/** Item counts per status of a task. */
export async function getTaskCounts(db: Executor, task: MigrationTaskRow): Promise<TaskCounts> {
  return (await loadTaskCounts(db, task)).counts;
}

/**
 * A task with its counts and one page of per-customer results: ordered by position (after `afterPosition`), or
 * sorted by name, email or status (the console's table), and only the `statuses` asked for.
 * @throws {AppError} see `getMigrationTaskRow`
 */
export async function getMigrationTask(
  ctx: UseCaseContext<SiteTenant>,
  input: {
    taskId: string;
    afterPosition?: number;
    limit: number;
    sort?: TaskItemSort;
    descending?: boolean;
    statuses?: TaskItemStatus[];
  },
) {
  const { db } = ctx.services;
  const task = await getMigrationTaskRow(ctx, input.taskId);
  const { sort, descending, statuses } = input;
  const { counts, outcomes } = await loadTaskCounts(db, task);
  const items = await listTaskItems(db, task.id, input.afterPosition, input.limit, {
    sort,
    descending,
    statuses,
  });
  return { task, counts, outcomes, items };
}

/**
 * Every per-customer result of a task, for the downloadable report (≤ 1,000 rows by construction).
 * @throws {AppError} see `getMigrationTaskRow`
 */
export async function getMigrationReport(ctx: UseCaseContext<SiteTenant>, input: { taskId: string }) {
  const { db } = ctx.services;
  const task = await getMigrationTaskRow(ctx, input.taskId);
  const counts = await getTaskCounts(db, task);
  const items = await listTaskItems(db, task.id, undefined, 100_000);
  return { task, counts, customers: items.map(migrationReportRow) };
}
