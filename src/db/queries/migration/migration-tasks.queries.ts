import { and, asc, count, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import {
  accounts,
  customerMigrations,
  type MigrationCounts,
  migrationTaskItems,
  migrationTasks,
  portalCustomers,
  siteUsers,
} from '../../schema/index.ts';

export type MigrationTaskRow = typeof migrationTasks.$inferSelect;
export type MigrationTaskItemRow = typeof migrationTaskItems.$inferSelect;
export type CustomerMigrationRow = typeof customerMigrations.$inferSelect;

/** The customer lock lives with its table; migrations take it through here. */
export { lockPortalCustomer } from '../customers/portal-customers.queries.ts';

/** Customers of an org by id (any site), to tell "other site" from "unknown". */
export async function findCustomersByIds(db: Executor, orgId: string, customerIds: string[]) {
  if (customerIds.length === 0) return [];
  return db
    .select()
    .from(portalCustomers)
    .where(and(eq(portalCustomers.orgId, orgId), inArray(portalCustomers.id, customerIds)));
}

/** The newest customer of the site for each email (live ones first), for starts by email. */
export async function findCustomersByEmails(db: Executor, siteId: string, emails: string[]) {
  if (emails.length === 0) return [];
  const lowered = emails.map((email) => email.toLowerCase());
  return db
    .select()
    .from(portalCustomers)
    .where(
      and(eq(portalCustomers.siteId, siteId), inArray(sql<string>`lower(${portalCustomers.email})`, lowered)),
    )
    .orderBy(
      sql`case when ${portalCustomers.status} in ('active', 'revoked', 'migrating') then 0 else 1 end`,
      sql`${portalCustomers.createdAt} desc`,
    );
}

/** Site users of the given customers (one each). */
export async function findSiteUsersOfCustomers(db: Executor, customerIds: string[]) {
  if (customerIds.length === 0) return [];
  return db.select().from(siteUsers).where(inArray(siteUsers.customerId, customerIds));
}

/** Accounts whose (lower-cased) email is among `emails`. */
export async function findAccountsByEmails(db: Executor, emails: string[]) {
  if (emails.length === 0) return [];
  return db
    .select()
    .from(accounts)
    .where(
      inArray(
        sql<string>`lower(${accounts.email})`,
        emails.map((e) => e.toLowerCase()),
      ),
    );
}

export async function findCustomerMigration(db: Executor, siteId: string, customerId: string) {
  const [row] = await db
    .select()
    .from(customerMigrations)
    .where(and(eq(customerMigrations.siteId, siteId), eq(customerMigrations.customerId, customerId)));
  return row;
}

export async function findCustomerMigrationsByEmail(db: Executor, siteId: string, email: string) {
  return db
    .select()
    .from(customerMigrations)
    .where(
      and(eq(customerMigrations.siteId, siteId), sql`lower(${customerMigrations.email}) = lower(${email})`),
    )
    .orderBy(asc(customerMigrations.migratedAt));
}

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

export async function insertTaskItems(tx: Executor, rows: Array<typeof migrationTaskItems.$inferInsert>) {
  for (let i = 0; i < rows.length; i += 500) {
    await tx.insert(migrationTaskItems).values(rows.slice(i, i + 500));
  }
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

/**
 * Live portal-only customers (active or revoked) of the site whose email has an account: the duplicates
 * migration fixes. Ordered by customer id, after the cursor.
 */
export async function listDuplicateCandidates(
  db: Executor,
  siteId: string,
  afterCustomerId: string | undefined,
  limit: number,
) {
  const conditions = [
    eq(portalCustomers.siteId, siteId),
    inArray(portalCustomers.status, ['active', 'revoked']),
  ];
  if (afterCustomerId) conditions.push(gt(portalCustomers.id, afterCustomerId));
  return db
    .select({ customer: portalCustomers, account: accounts })
    .from(portalCustomers)
    .innerJoin(accounts, sql`lower(${accounts.email}) = lower(${portalCustomers.email})`)
    .where(and(...conditions))
    .orderBy(asc(portalCustomers.id))
    .limit(limit);
}

/** Ids of live customers of the site (for "migrate all"), ordered by id, after the cursor. */
export async function listMigratableCustomers(
  db: Executor,
  siteId: string,
  afterCustomerId: string | undefined,
  limit: number,
  includeRevoked: boolean,
) {
  const conditions = [
    eq(portalCustomers.siteId, siteId),
    inArray(portalCustomers.status, includeRevoked ? ['active', 'revoked'] : ['active']),
  ];
  if (afterCustomerId) conditions.push(gt(portalCustomers.id, afterCustomerId));
  return db
    .select({
      id: portalCustomers.id,
      email: portalCustomers.email,
      displayName: portalCustomers.displayName,
      status: portalCustomers.status,
    })
    .from(portalCustomers)
    .where(and(...conditions))
    .orderBy(asc(portalCustomers.id))
    .limit(limit);
}

/** Seat counts live with the products table (one seat rule); migration dry runs read them through here. */
export { findBillableAccounts, findJsmLicence } from '../directory/products.queries.ts';

/** Ids of every queued or running task (to resume after a restart). */
export async function listLiveTaskIds(db: Executor): Promise<string[]> {
  const rows = await db
    .select({ id: migrationTasks.id })
    .from(migrationTasks)
    .where(inArray(migrationTasks.status, ['queued', 'running']))
    .orderBy(asc(migrationTasks.createdAt));
  return rows.map((r) => r.id);
}

/**
 * The closing writes of one customer's migration in ONE statement (data-modifying CTEs, one round trip): retire
 * the old site user (linking it to the new one, which the guard trigger follows from then on), mark the customer migrated, end its sessions and unused one-time tokens, add the account to
 * the customer group, and write the mapping row.
 */
export async function finalizeCustomerMigration(
  tx: Executor,
  input: {
    orgId: string;
    siteId: string;
    customerId: string;
    oldSiteUserId: string;
    newSiteUserId: string;
    accountId: string;
    customerGroupId: string;
    email: string;
    oldUserKey: string;
    newUserKey: string;
    outcome: 'linked' | 'created';
    counts: MigrationCounts;
    taskId: string | null;
    migratedBy: string;
    at: Date;
  },
): Promise<void> {
  const at = input.at.toISOString();
  await tx.execute(sql`
    with
      retired as (
        update site_users set status = 'retired', replaced_by = ${input.newSiteUserId}
        where id = ${input.oldSiteUserId} returning 1),
      migrated as (
        update portal_customers
        set status = 'migrated', migrated_to_account_id = ${input.accountId}, migrated_at = ${at}::timestamptz,
            updated_at = ${at}::timestamptz
        where id = ${input.customerId}
        returning 1),
      ended_sessions as (delete from sessions where customer_id = ${input.customerId} returning 1),
      ended_tokens as (delete from auth_tokens where customer_id = ${input.customerId} and used_at is null returning 1),
      grouped as (
        insert into group_members (org_id, group_id, account_id)
        values (${input.orgId}, ${input.customerGroupId}, ${input.accountId})
        on conflict do nothing
        returning 1),
      mapped as (
        insert into customer_migrations
          (customer_id, org_id, site_id, account_id, email, old_user_key, new_user_key, outcome, counts, task_id,
           migrated_by, created_at)
        values (${input.customerId}, ${input.orgId}, ${input.siteId}, ${input.accountId}, ${input.email},
          ${input.oldUserKey}, ${input.newUserKey}, ${input.outcome}, ${JSON.stringify(input.counts)}::jsonb,
          ${input.taskId}, ${input.migratedBy}, ${at}::timestamptz)
        returning 1)
    select (select count(*) from retired) + (select count(*) from migrated) + (select count(*) from ended_sessions)
      + (select count(*) from ended_tokens) + (select count(*) from grouped) + (select count(*) from mapped) as n`);
}

/**
 * The first transaction of a chunked migration, in one statement: the customer becomes `migrating`, its site
 * user points at the account's (`replaced_by`, which the guard trigger follows from now on), and the task item
 * records the account, the outcome and zero counts (the chunks add to them).
 */
export async function beginMigratingState(
  tx: Executor,
  input: {
    taskId: string;
    customerId: string;
    oldSiteUserId: string;
    newSiteUserId: string;
    accountId: string;
    outcome: 'linked' | 'created';
    counts: MigrationCounts;
    at: Date;
  },
): Promise<void> {
  const at = input.at.toISOString();
  await tx.execute(sql`
    with
      customer as (
        update portal_customers set status = 'migrating', updated_at = ${at}::timestamptz
        where id = ${input.customerId} returning 1),
      linked as (
        update site_users set replaced_by = ${input.newSiteUserId} where id = ${input.oldSiteUserId} returning 1),
      item as (
        update migration_task_items
        set account_id = ${input.accountId}, outcome = ${input.outcome}, counts = ${JSON.stringify(input.counts)}::jsonb
        where task_id = ${input.taskId} and customer_id = ${input.customerId} and status = 'pending'
        returning 1)
    select (select count(*) from customer) + (select count(*) from linked) + (select count(*) from item) as n`);
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
