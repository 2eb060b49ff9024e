import { and, eq, ne, sql } from 'drizzle-orm';
import { builtOnce } from '../../built-once.ts';
import type { Executor } from '../../client.ts';
import { accounts, portalCustomers, sessions, sites, siteUsers } from '../../schema/index.ts';

export type SessionRow = typeof sessions.$inferSelect;

export async function insertSession(db: Executor, row: typeof sessions.$inferInsert): Promise<SessionRow> {
  const [created] = await db.insert(sessions).values(row).returning();
  return created!;
}

const sessionWithPrincipal = builtOnce((db) =>
  db
    .select({
      session: sessions,
      accountEmail: accounts.email,
      accountStatus: accounts.status,
      customerEmail: portalCustomers.email,
      customerStatus: portalCustomers.status,
      customerOrgId: portalCustomers.orgId,
      customerSiteId: portalCustomers.siteId,
      site: sites,
      customerSiteUserId: siteUsers.id,
    })
    .from(sessions)
    .leftJoin(accounts, eq(accounts.id, sessions.accountId))
    .leftJoin(portalCustomers, eq(portalCustomers.id, sessions.customerId))
    .leftJoin(sites, eq(sites.id, sessions.siteId))
    .leftJoin(siteUsers, eq(siteUsers.customerId, sessions.customerId))
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare('session_with_principal'),
);

/**
 * A session by id with what its principal looks like now: the account's email and status, or the customer's
 * status, org, site and site user there. A missing principal leaves those fields null.
 */
export async function findSessionWithPrincipal(db: Executor, id: string) {
  const [row] = await sessionWithPrincipal(db).execute({ id });
  return row;
}

export async function touchSession(db: Executor, id: string, at: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, id));
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}

/** Deletes every session of an account, except `exceptId` when given; returns how many ended. */
export async function deleteAccountSessions(db: Executor, accountId: string, exceptId?: string) {
  const condition = exceptId
    ? and(eq(sessions.accountId, accountId), ne(sessions.id, exceptId))
    : eq(sessions.accountId, accountId);
  const rows = await db.delete(sessions).where(condition).returning({ id: sessions.id });
  return rows.length;
}

export async function deleteCustomerSessions(db: Executor, customerId: string) {
  const rows = await db
    .delete(sessions)
    .where(eq(sessions.customerId, customerId))
    .returning({ id: sessions.id });
  return rows.length;
}

/** Deletes the expired sessions of one account or customer (done at each login, so they never pile up). */
export async function deleteExpiredSessionsOf(
  db: Executor,
  owner: { accountId?: string; customerId?: string },
  now: Date,
): Promise<void> {
  const ownerCondition = owner.accountId
    ? eq(sessions.accountId, owner.accountId)
    : eq(sessions.customerId, owner.customerId ?? '');
  await db
    .delete(sessions)
    .where(and(ownerCondition, sql`${sessions.expiresAt} <= ${now.toISOString()}::timestamptz`));
}

/** Deletes every session expired at `now` (the sweep); returns how many. */
export async function deleteExpiredSessions(db: Executor, now: Date): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(sql`${sessions.expiresAt} <= ${now.toISOString()}::timestamptz`)
    .returning({ id: sessions.id });
  return rows.length;
}
