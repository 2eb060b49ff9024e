import { and, asc, count, eq, gt } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import {
  customerMigrations,
  type MigrationCounts,
  migrationTaskItems,
  portalCustomers,
} from '../../schema/index.ts';

export type MigrationTaskItemRow = typeof migrationTaskItems.$inferSelect;

export async function insertTaskItems(tx: Executor, rows: Array<typeof migrationTaskItems.$inferInsert>) {
  for (let i = 0; i < rows.length; i += 500) {
    await tx.insert(migrationTaskItems).values(rows.slice(i, i + 500));
  }
}

/** Item counts per status. */
export async function countTaskItems(db: Executor, taskId: string): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: migrationTaskItems.status, n: count() })
    .from(migrationTaskItems)
    .where(eq(migrationTaskItems.taskId, taskId))
    .groupBy(migrationTaskItems.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Pending items in order, after a position (the job's next batch). */
export async function listPendingItems(db: Executor, taskId: string, limit: number) {
  return db
    .select()
    .from(migrationTaskItems)
    .where(and(eq(migrationTaskItems.taskId, taskId), eq(migrationTaskItems.status, 'pending')))
    .orderBy(asc(migrationTaskItems.position))
    .limit(limit);
}

/** A page of items (with the customer's email) ordered by position, after `afterPosition`. */
export async function listTaskItems(
  db: Executor,
  taskId: string,
  afterPosition: number | undefined,
  limit: number,
) {
  const conditions = [eq(migrationTaskItems.taskId, taskId)];
  if (afterPosition !== undefined) conditions.push(gt(migrationTaskItems.position, afterPosition));
  return db
    .select({
      item: migrationTaskItems,
      email: portalCustomers.email,
      displayName: portalCustomers.displayName,
      oldUserKey: customerMigrations.oldUserKey,
      newUserKey: customerMigrations.newUserKey,
    })
    .from(migrationTaskItems)
    .leftJoin(portalCustomers, eq(portalCustomers.id, migrationTaskItems.customerId))
    .leftJoin(
      customerMigrations,
      and(
        eq(customerMigrations.customerId, migrationTaskItems.customerId),
        eq(customerMigrations.taskId, migrationTaskItems.taskId),
      ),
    )
    .where(and(...conditions))
    .orderBy(asc(migrationTaskItems.position))
    .limit(limit);
}

/** Locks one item; the caller proceeds only while it is still pending. */
export async function lockTaskItem(tx: Executor, taskId: string, customerId: string) {
  const [row] = await tx
    .select()
    .from(migrationTaskItems)
    .where(and(eq(migrationTaskItems.taskId, taskId), eq(migrationTaskItems.customerId, customerId)))
    .for('update');
  return row;
}

export async function finishTaskItem(
  tx: Executor,
  taskId: string,
  customerId: string,
  set: {
    status: 'succeeded' | 'failed' | 'skipped' | 'cancelled';
    errorCode?: string | null;
    errorMessage?: string | null;
    accountId?: string | null;
    outcome?: 'linked' | 'created' | null;
    counts?: MigrationCounts | null;
    finishedAt: Date;
  },
): Promise<boolean> {
  const updated = await tx
    .update(migrationTaskItems)
    .set(set)
    .where(
      and(
        eq(migrationTaskItems.taskId, taskId),
        eq(migrationTaskItems.customerId, customerId),
        eq(migrationTaskItems.status, 'pending'),
      ),
    )
    .returning({ customerId: migrationTaskItems.customerId });
  return updated.length > 0;
}

/** Marks every still-pending item cancelled (customers not yet started are skipped). */
export async function cancelPendingItems(tx: Executor, taskId: string, at: Date): Promise<number> {
  const updated = await tx
    .update(migrationTaskItems)
    .set({ status: 'cancelled', finishedAt: at })
    .where(and(eq(migrationTaskItems.taskId, taskId), eq(migrationTaskItems.status, 'pending')))
    .returning({ customerId: migrationTaskItems.customerId });
  return updated.length;
}

/** The running counts of a chunked migration's item. */
export async function updateTaskItemCounts(
  tx: Executor,
  taskId: string,
  customerId: string,
  counts: MigrationCounts,
): Promise<void> {
  await tx
    .update(migrationTaskItems)
    .set({ counts })
    .where(and(eq(migrationTaskItems.taskId, taskId), eq(migrationTaskItems.customerId, customerId)));
}
