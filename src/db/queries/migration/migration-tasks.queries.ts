import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { migrationTaskItems, migrationTasks } from '../../schema/index.ts';

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
