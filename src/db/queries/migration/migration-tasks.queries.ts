import { and, asc, count, desc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { migrationTaskItems, migrationTasks } from '../../schema/index.ts';
import { rowsOf } from '../raw-rows.ts';

export type MigrationTaskRow = typeof migrationTasks.$inferSelect;

/**
 * Inserts a task unless a live (queued/running) task with the same dedupe key exists on the site; the partial
 * unique index makes concurrent starts race safely. Returns the created row or undefined.
 */
export async function insertTaskUnlessLive(
  tx: Executor,
  row: typeof migrationTasks.$inferInsert,
): Promise<MigrationTaskRow | undefined> {
  const [created] = await tx
    .insert(migrationTasks)
    .values(row)
    .onConflictDoNothing({
      target: [migrationTasks.siteId, migrationTasks.dedupeKey],
      where: sql`status in ('queued', 'running')`,
    })
    .returning();
  return created;
}

export async function findLiveTaskByDedupeKey(db: Executor, siteId: string, dedupeKey: string) {
  const [row] = await db
    .select()
    .from(migrationTasks)
    .where(
      and(
        eq(migrationTasks.siteId, siteId),
        eq(migrationTasks.dedupeKey, dedupeKey),
        inArray(migrationTasks.status, ['queued', 'running']),
      ),
    );
  return row;
}

export async function findTask(db: Executor, taskId: string): Promise<MigrationTaskRow | undefined> {
  const [row] = await db.select().from(migrationTasks).where(eq(migrationTasks.id, taskId));
  return row;
}

export async function lockTask(tx: Executor, taskId: string): Promise<MigrationTaskRow | undefined> {
  const [row] = await tx.select().from(migrationTasks).where(eq(migrationTasks.id, taskId)).for('update');
  return row;
}

/**
 * Starts a run of a task in one statement: a queued task becomes running (with its start time); a running one
 * (a joiner, a resumed run) is left as it is. Returns the task as it is now and whether this call started it;
 * undefined when the task is gone or has ended. The row lock orders it with a concurrent cancel or finish.
 */
export async function startTaskRun(
  db: Executor,
  taskId: string,
  now: Date,
): Promise<{ task: MigrationTaskRow; started: boolean } | undefined> {
  const before = db.$with('before').as(
    db
      .select({ status: sql<string>`${migrationTasks.status}`.as('before_status') })
      .from(migrationTasks)
      .where(eq(migrationTasks.id, taskId))
      .for('update'),
  );
  const [row] = await db
    .with(before)
    .update(migrationTasks)
    .set({ status: 'running', startedAt: sql`coalesce(${migrationTasks.startedAt}, ${now})` })
    .from(before)
    .where(and(eq(migrationTasks.id, taskId), inArray(before.status, ['queued', 'running'])))
    .returning({ task: getTableColumns(migrationTasks), started: sql<boolean>`${before.status} = 'queued'` });
  return row && { task: row.task as MigrationTaskRow, started: Boolean(row.started) };
}

/**
 * Ends a running task in one statement, once nothing is left to do: `cancelled` (its pending items too) when a
 * cancel was requested; otherwise, when no item is pending, `failed` if no customer migrated and some failed, else
 * `succeeded`. Returns the status it ended with; undefined when it is not running or items are still pending
 * (another runner holds them and ends the task after them: its items committed before its own call, which
 * therefore sees every item).
 */
export async function finishTaskRun(
  db: Executor,
  taskId: string,
  now: Date,
): Promise<MigrationTaskRow['status'] | undefined> {
  const result = await db.execute(sql`
    with
      task as (
        select id, cancel_requested_at is not null as cancelled from ${migrationTasks}
        where id = ${taskId} and status = 'running' for update),
      items as (
        select count(*) filter (where status = 'pending') as pending,
          count(*) filter (where status = 'succeeded') as succeeded,
          count(*) filter (where status = 'failed') as failed
        from ${migrationTaskItems} where task_id = ${taskId}),
      -- A data-modifying WITH always runs to completion, read or not.
      dropped as (
        update ${migrationTaskItems} set status = 'cancelled', finished_at = ${now}
        where task_id = ${taskId} and status = 'pending' and (select cancelled from task))
    update ${migrationTasks} t set finished_at = ${now}, status = case
        when task.cancelled then 'cancelled'
        when items.succeeded = 0 and items.failed > 0 then 'failed'
        else 'succeeded' end
    from task, items
    where t.id = task.id and (task.cancelled or items.pending = 0)
    returning t.status`);
  const [row] = rowsOf<{ status: MigrationTaskRow['status'] }>(result);
  return row?.status;
}

export async function updateTask(
  tx: Executor,
  taskId: string,
  set: Partial<typeof migrationTasks.$inferInsert>,
): Promise<void> {
  await tx.update(migrationTasks).set(set).where(eq(migrationTasks.id, taskId));
}

/** Ids of every queued or running task (to resume after a restart). */
export async function listLiveTaskIds(db: Executor): Promise<string[]> {
  const rows = await db
    .select({ id: migrationTasks.id })
    .from(migrationTasks)
    .where(inArray(migrationTasks.status, ['queued', 'running']))
    .orderBy(asc(migrationTasks.createdAt));
  return rows.map((r) => r.id);
}

/** Columns a site's list of migration tasks sorts by (newest first unless told otherwise). */
export type TaskSort = 'created' | 'status' | 'total';

const TASK_SORT_COLUMNS = {
  created: migrationTasks.createdAt,
  status: migrationTasks.status,
  total: migrationTasks.total,
} as const;

/** Items of the listed task with a status, counted in the same statement as the task row. */
const itemsWith = (status: 'succeeded' | 'failed') =>
  sql<number>`(select count(*)::int from ${migrationTaskItems} i where i.task_id = ${migrationTasks.id} and i.status = ${status})`;

/** A page of a site's migration tasks, each with its migrated and failed counts. */
export async function listSiteTasks(
  db: Executor,
  siteId: string,
  page: { sort: TaskSort; descending: boolean; offset: number; limit: number },
) {
  const column = TASK_SORT_COLUMNS[page.sort];
  return db
    .select({ task: migrationTasks, succeeded: itemsWith('succeeded'), failed: itemsWith('failed') })
    .from(migrationTasks)
    .where(eq(migrationTasks.siteId, siteId))
    .orderBy(page.descending ? desc(column) : asc(column), desc(migrationTasks.id))
    .limit(page.limit)
    .offset(page.offset);
}

export async function countSiteTasks(db: Executor, siteId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(migrationTasks).where(eq(migrationTasks.siteId, siteId));
  return Number(row?.n ?? 0);
}
