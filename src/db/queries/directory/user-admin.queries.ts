import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import {
  adminRoles,
  groupMembers,
  groups,
  orgMemberships,
  products,
  siteAccess,
  sites,
} from '../../schema/index.ts';

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

export async function upsertSiteAccess(
  tx: Executor,
  row: { orgId: string; siteId: string; accountId: string; hasAccess: boolean },
  now: Date,
): Promise<void> {
  await tx
    .insert(siteAccess)
    .values({ ...row, updatedAt: now })
    .onConflictDoUpdate({
      target: [siteAccess.siteId, siteAccess.accountId],
      set: { hasAccess: row.hasAccess, updatedAt: now },
    });
}

/** The account's "Has access on site" rows in an org (no row = has access). */
export async function listSiteAccess(db: Executor, orgId: string, accountId: string) {
  return db
    .select({ siteId: siteAccess.siteId, hasAccess: siteAccess.hasAccess })
    .from(siteAccess)
    .where(and(eq(siteAccess.orgId, orgId), eq(siteAccess.accountId, accountId)));
}

/** Removes an account from an org: groups, admin roles, site access, then the membership. */
export async function deleteMembershipCascade(tx: Executor, orgId: string, accountId: string) {
  const removedGroups = await tx
    .delete(groupMembers)
    .where(and(eq(groupMembers.orgId, orgId), eq(groupMembers.accountId, accountId)))
    .returning({ groupId: groupMembers.groupId });
  const removedRoles = await tx
    .delete(adminRoles)
    .where(and(eq(adminRoles.orgId, orgId), eq(adminRoles.accountId, accountId)))
    .returning({ id: adminRoles.id });
  await tx.delete(siteAccess).where(and(eq(siteAccess.orgId, orgId), eq(siteAccess.accountId, accountId)));
  await tx
    .delete(orgMemberships)
    .where(and(eq(orgMemberships.orgId, orgId), eq(orgMemberships.accountId, accountId)));
  return { groups: removedGroups.length, adminRoles: removedRoles.length };
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

/** Which of these accounts are members of the org. */
export async function listMemberIds(db: Executor, orgId: string, accountIds: string[]): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .select({ accountId: orgMemberships.accountId })
    .from(orgMemberships)
    .where(and(eq(orgMemberships.orgId, orgId), inArray(orgMemberships.accountId, accountIds)));
  return rows.map((r) => r.accountId);
}

/** Which of these accounts already hold a billable role on the product. */
export async function listBillableHolders(
  db: Executor,
  productId: string,
  accountIds: string[],
): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .selectDistinct({ accountId: groupMembers.accountId })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(
      and(
        eq(groups.productId, productId),
        ne(groups.role, 'customer'),
        inArray(groupMembers.accountId, accountIds),
      ),
    );
  return rows.map((r) => r.accountId);
}

export async function deleteAdminRole(
  tx: Executor,
  input: { orgId: string; accountId: string; role: 'org_admin' | 'site_admin'; siteId: string | null },
): Promise<number> {
  const rows = await tx
    .delete(adminRoles)
    .where(
      and(
        eq(adminRoles.orgId, input.orgId),
        eq(adminRoles.accountId, input.accountId),
        eq(adminRoles.role, input.role),
        input.siteId === null ? sql`${adminRoles.siteId} is null` : eq(adminRoles.siteId, input.siteId),
      ),
    )
    .returning({ id: adminRoles.id });
  return rows.length;
}

/** Org admins whose membership is active, locked (so two revokes cannot both leave the org without one). */
export async function lockActiveOrgAdmins(tx: Executor, orgId: string): Promise<string[]> {
  const rows = await tx
    .select({ accountId: adminRoles.accountId })
    .from(adminRoles)
    .innerJoin(
      orgMemberships,
      and(eq(orgMemberships.orgId, adminRoles.orgId), eq(orgMemberships.accountId, adminRoles.accountId)),
    )
    .where(
      and(eq(adminRoles.orgId, orgId), eq(adminRoles.role, 'org_admin'), eq(orgMemberships.status, 'active')),
    )
    .for('update', { of: adminRoles });
  return rows.map((r) => r.accountId);
}

/** Every product of the org with its site name. */
export async function listProductsWithSites(db: Executor, orgId: string) {
  return db
    .select({ product: products, siteName: sites.name })
    .from(products)
    .innerJoin(sites, eq(sites.id, products.siteId))
    .where(eq(products.orgId, orgId))
    .orderBy(asc(sites.name), asc(products.key));
}
