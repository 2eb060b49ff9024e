import { and, asc, count, eq, gt, inArray, notExists, sql } from 'drizzle-orm';
import { builtOnce } from '../../built-once.ts';
import type { Executor } from '../../client.ts';
import { groupMembers, groups, orgMemberships, products, siteAccess, sites } from '../../schema/index.ts';

export type GroupRow = typeof groups.$inferSelect;

export async function insertGroup(db: Executor, row: typeof groups.$inferInsert): Promise<GroupRow> {
  const [created] = await db.insert(groups).values(row).returning();
  return created!;
}

export async function findGroup(db: Executor, orgId: string, groupId: string): Promise<GroupRow | undefined> {
  const [row] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.orgId, orgId), eq(groups.id, groupId)));
  return row;
}

/**
 * A site of the org with the id of its group named `<groupPrefix><site name>` (case-insensitive; null while that
 * group does not exist), in one statement.
 */
export async function findSiteWithGroup(
  db: Executor,
  orgId: string,
  siteId: string,
  groupPrefix: string,
): Promise<{ site: typeof sites.$inferSelect; groupId: string | null } | undefined> {
  const [row] = await db
    .select({ site: sites, groupId: groups.id })
    .from(sites)
    .leftJoin(
      groups,
      and(eq(groups.orgId, sites.orgId), sql`lower(${groups.name}) = lower(${groupPrefix} || ${sites.name})`),
    )
    .where(and(eq(sites.orgId, orgId), eq(sites.id, siteId)))
    .limit(1);
  return row;
}

export async function findGroupByName(
  db: Executor,
  orgId: string,
  name: string,
): Promise<GroupRow | undefined> {
  const [row] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.orgId, orgId), sql`lower(${groups.name}) = lower(${name})`));
  return row;
}

/** The default group granting `role` on a product. */
export async function findDefaultGroup(db: Executor, productId: string, role: 'customer' | 'user' | 'admin') {
  const [row] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.productId, productId), eq(groups.role, role), eq(groups.isDefault, true)))
    .orderBy(asc(groups.createdAt))
    .limit(1);
  return row;
}

/** A page of an org's groups with member counts, ordered by name then id, after the cursor name. */
export async function listGroups(db: Executor, orgId: string, afterName: string | undefined, limit: number) {
  const memberCount = db
    .select({ groupId: groupMembers.groupId, members: count().as('members') })
    .from(groupMembers)
    .groupBy(groupMembers.groupId)
    .as('member_count');
  const conditions = [eq(groups.orgId, orgId)];
  if (afterName !== undefined) conditions.push(gt(sql`lower(${groups.name})`, afterName.toLowerCase()));
  return db
    .select({ group: groups, members: sql<number>`coalesce(${memberCount.members}, 0)::int` })
    .from(groups)
    .leftJoin(memberCount, eq(memberCount.groupId, groups.id))
    .where(and(...conditions))
    .orderBy(sql`lower(${groups.name})`)
    .limit(limit);
}

/** Adds a member; a repeat is a no-op. */
export async function insertGroupMember(db: Executor, orgId: string, groupId: string, accountId: string) {
  await db.insert(groupMembers).values({ orgId, groupId, accountId }).onConflictDoNothing();
}

/** Removes the account from every group that grants `role` on the product; returns how many. */
export async function deleteProductRoleMemberships(
  tx: Executor,
  productId: string,
  role: 'customer' | 'user' | 'admin',
  accountId: string,
): Promise<number> {
  const groupIds = tx
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.productId, productId), eq(groups.role, role)));
  const rows = await tx
    .delete(groupMembers)
    .where(and(eq(groupMembers.accountId, accountId), inArray(groupMembers.groupId, groupIds)))
    .returning({ groupId: groupMembers.groupId });
  return rows.length;
}

/** Groups the account belongs to in the org. */
export async function listGroupsOfAccount(db: Executor, orgId: string, accountId: string) {
  return db
    .select({ id: groups.id, name: groups.name, productId: groups.productId, role: groups.role })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(eq(groupMembers.orgId, orgId), eq(groupMembers.accountId, accountId)))
    .orderBy(asc(groups.name));
}

export async function deleteGroupMembers(tx: Executor, groupId: string, accountIds: string[]) {
  if (accountIds.length === 0) return 0;
  const rows = await tx
    .delete(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), inArray(groupMembers.accountId, accountIds)))
    .returning({ accountId: groupMembers.accountId });
  return rows.length;
}

export async function deleteGroup(tx: Executor, groupId: string): Promise<void> {
  await tx.delete(groups).where(eq(groups.id, groupId));
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

/** Removes the account from every group of the org; returns the groups it left. */
export async function deleteGroupMembershipsOfAccount(tx: Executor, orgId: string, accountId: string) {
  return tx
    .delete(groupMembers)
    .where(and(eq(groupMembers.orgId, orgId), eq(groupMembers.accountId, accountId)))
    .returning({ groupId: groupMembers.groupId });
}

const productRoleRows = builtOnce((db) =>
  db
    .selectDistinct({ productKey: products.key, siteId: products.siteId, role: groups.role })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .innerJoin(products, eq(products.id, groups.productId))
    .where(
      and(
        eq(groups.orgId, sql.placeholder('orgId')),
        eq(groupMembers.accountId, sql.placeholder('accountId')),
        inArray(groups.role, ['user', 'admin']),
      ),
    )
    .prepare('product_role_rows'),
);

/** Product roles (through groups) of the account in the org, with each product's site. */
export async function listProductRoleRows(db: Executor, orgId: string, accountId: string) {
  return productRoleRows(db).execute({ orgId, accountId });
}

/**
 * Sites, in any org, whose queue the account works: the JSM agent or admin role through a group, as an active
 * member, and (original experience) with "Has access on site" on. Where someone lands after logging in.
 */
export async function listAgentSitesOfAccount(db: Executor, accountId: string) {
  return db
    .selectDistinct({ siteId: sites.id, siteName: sites.name, orgId: sites.orgId })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .innerJoin(products, eq(products.id, groups.productId))
    .innerJoin(sites, eq(sites.id, products.siteId))
    .innerJoin(
      orgMemberships,
      and(
        eq(orgMemberships.orgId, groups.orgId),
        eq(orgMemberships.accountId, accountId),
        eq(orgMemberships.status, 'active'),
      ),
    )
    .where(
      and(
        eq(groupMembers.accountId, accountId),
        eq(products.key, 'jira-servicemanagement'),
        inArray(groups.role, ['user', 'admin']),
        notExists(
          db
            .select({ one: siteAccess.siteId })
            .from(siteAccess)
            .where(
              and(
                eq(siteAccess.siteId, sites.id),
                eq(siteAccess.accountId, accountId),
                eq(siteAccess.hasAccess, false),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(sites.name));
}

/** Names of the account's groups in one organization, by name. */
export async function listGroupNamesOfAccount(
  db: Executor,
  orgId: string,
  accountId: string,
): Promise<string[]> {
  const rows = await db
    .select({ name: groups.name })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(eq(groups.orgId, orgId), eq(groupMembers.accountId, accountId)))
    .orderBy(asc(groups.name));
  return rows.map((r) => r.name);
}

/** How many accounts are in the group. */
export async function countGroupMembers(db: Executor, orgId: string, groupId: string): Promise<number> {
  const [row] = await db
    .select({ members: count() })
    .from(groupMembers)
    .where(and(eq(groupMembers.orgId, orgId), eq(groupMembers.groupId, groupId)));
  return row?.members ?? 0;
}
