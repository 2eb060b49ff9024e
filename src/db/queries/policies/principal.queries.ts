import { and, asc, eq, inArray, notExists } from 'drizzle-orm';
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

/** The account's membership status in an org, or undefined when not a member. */
export async function findMembershipStatus(db: Executor, orgId: string, accountId: string) {
  const [row] = await db
    .select({ status: orgMemberships.status })
    .from(orgMemberships)
    .where(and(eq(orgMemberships.orgId, orgId), eq(orgMemberships.accountId, accountId)));
  return row?.status;
}

export async function listAdminRoleRows(db: Executor, orgId: string, accountId: string) {
  return db
    .select({ role: adminRoles.role, siteId: adminRoles.siteId, productId: adminRoles.productId })
    .from(adminRoles)
    .where(and(eq(adminRoles.orgId, orgId), eq(adminRoles.accountId, accountId)));
}

/** Product roles (through groups) of the account in the org, with each product's site. */
export async function listProductRoleRows(db: Executor, orgId: string, accountId: string) {
  return db
    .selectDistinct({ productKey: products.key, siteId: products.siteId, role: groups.role })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .innerJoin(products, eq(products.id, groups.productId))
    .where(
      and(
        eq(groups.orgId, orgId),
        eq(groupMembers.accountId, accountId),
        inArray(groups.role, ['user', 'admin']),
      ),
    );
}

/** Sites of the org where the original experience's "Has access on site" toggle is off for the account. */
export async function listSitesWithoutAccess(
  db: Executor,
  orgId: string,
  accountId: string,
): Promise<string[]> {
  const rows = await db
    .select({ siteId: siteAccess.siteId })
    .from(siteAccess)
    .where(
      and(eq(siteAccess.orgId, orgId), eq(siteAccess.accountId, accountId), eq(siteAccess.hasAccess, false)),
    );
  return rows.map((r) => r.siteId);
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
