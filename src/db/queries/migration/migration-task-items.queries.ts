import { and, asc, count, desc, eq, gt, gte, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import {
  accounts,
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

/** Item counts per status, and of the migrated ones per outcome (linked to an account, or a new one). */
export async function countTaskItems(
  db: Executor,
  taskId: string,
): Promise<{ byStatus: Record<string, number>; byOutcome: Record<string, number> }> {
  const rows = await db
    .select({ status: migrationTaskItems.status, outcome: migrationTaskItems.outcome, n: count() })
    .from(migrationTaskItems)
    .where(eq(migrationTaskItems.taskId, taskId))
    .groupBy(migrationTaskItems.status, migrationTaskItems.outcome);
  const byStatus: Record<string, number> = {};
  const byOutcome: Record<string, number> = {};
  for (const { status, outcome, n } of rows) {
    byStatus[status] = (byStatus[status] ?? 0) + Number(n);
    if (status === 'succeeded' && outcome) byOutcome[outcome] = (byOutcome[outcome] ?? 0) + Number(n);
  }
  return { byStatus, byOutcome };
}

/** Pending items in order, from a position on (a runner's next batch). */
export async function listPendingItems(db: Executor, taskId: string, limit: number, fromPosition = 0) {
  return db
    .select()
    .from(migrationTaskItems)
    .where(
      and(
        eq(migrationTaskItems.taskId, taskId),
        eq(migrationTaskItems.status, 'pending'),
        gte(migrationTaskItems.position, fromPosition),
      ),
    )
    .orderBy(asc(migrationTaskItems.position))
    .limit(limit);
}

/** Columns a task's per-customer table can be sorted by (then by position, so the order is total). */
export type TaskItemSort = 'position' | 'name' | 'email' | 'status';

export type TaskItemStatus = MigrationTaskItemRow['status'];

/** Item statuses in the order a status sort shows them: what needs attention first, the migrated last. */
const STATUS_ORDER: TaskItemStatus[] = ['failed', 'cancelled', 'skipped', 'pending', 'succeeded'];

const ITEM_SORT_COLUMNS: Record<Exclude<TaskItemSort, 'position'>, SQL> = {
  name: sql`lower(${portalCustomers.displayName})`,
  email: sql`lower(${portalCustomers.email})`,
  // Constant statuses from the list above, written as literals (no parameter types to infer in ORDER BY).
  status: sql`case ${migrationTaskItems.status} ${sql.raw(STATUS_ORDER.map((s, i) => `when '${s}' then ${i}`).join(' '))} end`,
};

/**
 * A page of items (with the customer's name and email, and the account it was migrated to), ordered by
 * position after `afterPosition`, or by `order` (name, email or status, then position) and only `statuses`.
 */
export async function listTaskItems(
  db: Executor,
  taskId: string,
  afterPosition: number | undefined,
  limit: number,
  order: { sort?: TaskItemSort; descending?: boolean; statuses?: TaskItemStatus[] } = {},
) {
  const conditions = [eq(migrationTaskItems.taskId, taskId)];
  if (afterPosition !== undefined) conditions.push(gt(migrationTaskItems.position, afterPosition));
  if (order.statuses?.length) conditions.push(inArray(migrationTaskItems.status, order.statuses));
  const by = order.sort && order.sort !== 'position' ? ITEM_SORT_COLUMNS[order.sort] : undefined;
  return db
    .select({
      item: migrationTaskItems,
      email: portalCustomers.email,
      displayName: portalCustomers.displayName,
      oldUserKey: customerMigrations.oldUserKey,
      newUserKey: customerMigrations.newUserKey,
      account: { name: accounts.name, email: accounts.email },
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
    .leftJoin(accounts, eq(accounts.id, migrationTaskItems.accountId))
    .where(and(...conditions))
    .orderBy(
      ...(by ? [order.descending ? desc(by) : asc(by)] : []),
      order.descending && by ? desc(migrationTaskItems.position) : asc(migrationTaskItems.position),
    )
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

/**
 * Locks the item for the runner that will migrate it, or answers undefined at once when another runner holds it
 * (`SKIP LOCKED`): runners of one task in several worker processes share its items without waiting on each other.
 */
export async function claimTaskItem(tx: Executor, taskId: string, customerId: string) {
  const [row] = await tx
    .select()
    .from(migrationTaskItems)
    .where(and(eq(migrationTaskItems.taskId, taskId), eq(migrationTaskItems.customerId, customerId)))
    .for('update', { skipLocked: true });
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
