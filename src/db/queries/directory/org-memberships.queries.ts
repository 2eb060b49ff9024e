import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { accounts, orgMemberships } from '../../schema/index.ts';

export async function setMembershipStatus(
  tx: Executor,
  orgId: string,
  accountId: string,
  status: 'active' | 'suspended',
  now: Date,
): Promise<void> {
  await tx
    .update(orgMemberships)
    .set({ status, updatedAt: now })
    .where(and(eq(orgMemberships.orgId, orgId), eq(orgMemberships.accountId, accountId)));
}

/** Locks the membership row so concurrent changes to one member run one at a time. */
export async function lockOrgMembership(tx: Executor, orgId: string, accountId: string) {
  const [row] = await tx
    .select()
    .from(orgMemberships)
    .where(and(eq(orgMemberships.orgId, orgId), eq(orgMemberships.accountId, accountId)))
    .for('update');
  return row;
}

/** Which of these accounts are members of the org. */
export async function listMemberIds(db: Executor, orgId: string, accountIds: string[]): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .select({ accountId: orgMemberships.accountId })
    .from(orgMemberships)
    .where(and(eq(orgMemberships.orgId, orgId), inArray(orgMemberships.accountId, accountIds)));
  return rows.map((r) => r.accountId);
}

export async function insertOrgMembership(db: Executor, orgId: string, accountId: string) {
  await db.insert(orgMemberships).values({ orgId, accountId }).onConflictDoNothing();
}

export async function findOrgMembership(db: Executor, orgId: string, accountId: string) {
  const [row] = await db
    .select()
    .from(orgMemberships)
    .where(and(eq(orgMemberships.orgId, orgId), eq(orgMemberships.accountId, accountId)));
  return row;
}

/** A page of an org's members (accounts with a membership), ordered by account id. */
export async function listOrgMembers(
  db: Executor,
  orgId: string,
  afterAccountId: string | undefined,
  limit: number,
  /** Part of a name or email ("Find the user" after a bulk run), case-insensitive. */
  search?: string,
) {
  const conditions = [eq(orgMemberships.orgId, orgId)];
  if (afterAccountId) conditions.push(gt(accounts.id, afterAccountId));
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conditions.push(sql`(${accounts.name} ilike ${pattern} or ${accounts.email} ilike ${pattern})`);
  }
  return db
    .select({
      account: accounts,
      membershipStatus: orgMemberships.status,
      // The org's member count rides along, so a page needs no second statement for its total.
      total: sql<number>`(select count(*)::int from ${orgMemberships} m where m.org_id = ${orgId})`,
    })
    .from(orgMemberships)
    .innerJoin(accounts, eq(accounts.id, orgMemberships.accountId))
    .where(and(...conditions))
    .orderBy(asc(accounts.id))
    .limit(limit);
}

export async function countOrgMembers(db: Executor, orgId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orgMemberships)
    .where(eq(orgMemberships.orgId, orgId));
  return Number(row?.n ?? 0);
}

export async function deleteOrgMembership(tx: Executor, orgId: string, accountId: string): Promise<void> {
  await tx
    .delete(orgMemberships)
    .where(and(eq(orgMemberships.orgId, orgId), eq(orgMemberships.accountId, accountId)));
}

/** Organizations an account belongs to (its auth events are recorded in each). */
export async function listAccountOrgIds(db: Executor, accountId: string): Promise<string[]> {
  const rows = await db
    .select({ orgId: orgMemberships.orgId })
    .from(orgMemberships)
    .where(eq(orgMemberships.accountId, accountId));
  return rows.map((r) => r.orgId);
}

/** The org's members among these account ids (name and email), for showing ids as people. */
export async function listOrgMembersByIds(db: Executor, orgId: string, accountIds: string[]) {
  if (accountIds.length === 0) return [];
  return db
    .select({ id: accounts.id, name: accounts.name, email: accounts.email })
    .from(orgMemberships)
    .innerJoin(accounts, eq(accounts.id, orgMemberships.accountId))
    .where(and(eq(orgMemberships.orgId, orgId), inArray(accounts.id, accountIds)));
}
