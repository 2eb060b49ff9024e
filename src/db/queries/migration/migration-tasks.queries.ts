import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { migrationTasks } from '../../schema/index.ts';

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
