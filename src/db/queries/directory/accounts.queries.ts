import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { accounts, groupMembers, groups, orgMemberships, products, sites } from '../../schema/index.ts';

export type AccountRow = typeof accounts.$inferSelect;

export async function insertAccount(db: Executor, row: typeof accounts.$inferInsert): Promise<AccountRow> {
  const [created] = await db.insert(accounts).values(row).returning();
  return created!;
}

export async function findAccount(db: Executor, accountId: string): Promise<AccountRow | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, accountId));
  return row;
}

export async function findAccountByEmail(db: Executor, email: string): Promise<AccountRow | undefined> {
  const [row] = await db.select().from(accounts).where(sql`lower(${accounts.email}) = lower(${email})`);
  return row;
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

/** The org's members among these account ids (name and email), for showing ids as people. */
export async function listOrgMembersByIds(db: Executor, orgId: string, accountIds: string[]) {
  if (accountIds.length === 0) return [];
  return db
    .select({ id: accounts.id, name: accounts.name, email: accounts.email })
    .from(orgMemberships)
    .innerJoin(accounts, eq(accounts.id, orgMemberships.accountId))
    .where(and(eq(orgMemberships.orgId, orgId), inArray(accounts.id, accountIds)));
}

export async function countOrgMembers(db: Executor, orgId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orgMemberships)
    .where(eq(orgMemberships.orgId, orgId));
  return Number(row?.n ?? 0);
}

/** Product roles each account holds in the org, through its groups, with the site (id and name) of each product. */
export async function listProductRoles(db: Executor, orgId: string, accountIds: string[]) {
  if (accountIds.length === 0) return [];
  return db
    .selectDistinct({
      accountId: groupMembers.accountId,
      productId: products.id,
      productKey: products.key,
      productName: products.name,
      siteId: products.siteId,
      siteName: sites.name,
      role: groups.role,
    })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .innerJoin(products, eq(products.id, groups.productId))
    .innerJoin(sites, eq(sites.id, products.siteId))
    .where(and(eq(groups.orgId, orgId), inArray(groupMembers.accountId, accountIds)));
}
