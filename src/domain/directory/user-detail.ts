import { listCustomerTwins } from '#src/db/queries/customers/portal-customers.queries.ts';
import { type AccountRow, findAccount } from '#src/db/queries/directory/accounts.queries.ts';
import { type AdminRoleRow, listAdminRoles } from '#src/db/queries/directory/admin-roles.queries.ts';
import { listGroupsOfAccount, listProductRoles } from '#src/db/queries/directory/groups.queries.ts';
import { findOrgMembership } from '#src/db/queries/directory/org-memberships.queries.ts';
import {
  countSeatsUsed,
  findProduct,
  listProductsWithSites,
} from '#src/db/queries/directory/products.queries.ts';
import { listSiteAccess } from '#src/db/queries/directory/site-access.queries.ts';
import { listSites } from '#src/db/queries/directory/sites.queries.ts';
import type { CustomerStatus } from '#src/db/schema/index.ts';
import { AppError } from '#src/shared/errors.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

export interface UserDetail {
  account: AccountRow;
  membershipStatus: 'active' | 'suspended';
  userManagement: 'original' | 'centralized';
  productAccess: Array<{
    productId: string;
    productKey: string;
    productName: string;
    siteId: string;
    role: string;
    seatsUsed: number;
    seatLimit: number;
  }>;
  groups: Array<{ id: string; name: string }>;
  adminRoles: AdminRoleRow[];
  siteAccess: Array<{ siteId: string; siteName: string; hasAccess: boolean }>;
  /** Live portal-only customers of the org's sites with the same email: the migration prompt (F34). */
  portalOnlyTwins: Array<{
    customerId: string;
    siteId: string;
    siteName: string;
    displayName: string;
    status: CustomerStatus;
  }>;
}

/**
 * Everything an admin sees on a user's page. Original: org admins and site admins; centralized: org admins.
 * @throws {AppError} `directory.user_not_found` (also for accounts of other orgs), plus access errors
 */
export async function getUserDetail(
  ctx: UseCaseContext<OrgTenant>,
  target: { accountId: string },
): Promise<UserDetail> {
  const { actor } = ctx;
  const { db } = ctx.services;
  const org = await assertCan(db, actor, 'users.view', { orgId: ctx.tenant.orgId });
  const membership = await findOrgMembership(db, org.id, target.accountId);
  const account = membership && (await findAccount(db, target.accountId));
  if (!membership || !account)
    throw new AppError('directory.user_not_found', `No user ${target.accountId} in this organization.`);
  const [roles, groups, adminRoles, sites, access, twins] = await Promise.all([
    listProductRoles(db, org.id, [account.id]),
    listGroupsOfAccount(db, org.id, account.id),
    listAdminRoles(db, org.id, account.id),
    listSites(db, org.id),
    listSiteAccess(db, org.id, account.id),
    listCustomerTwins(db, org.id, account.email),
  ]);
  const seats = new Map<string, { used: number; limit: number }>();
  for (const productId of new Set(roles.map((r) => r.productId))) {
    const product = await findProduct(db, org.id, productId);
    seats.set(productId, { used: await countSeatsUsed(db, productId), limit: product?.seatLimit ?? 0 });
  }
  return {
    account,
    membershipStatus: membership.status,
    userManagement: org.userManagement,
    productAccess: roles.map((r) => ({
      productId: r.productId,
      productKey: r.productKey,
      productName: r.productName,
      siteId: r.siteId,
      role: r.role ?? 'user',
      seatsUsed: seats.get(r.productId)?.used ?? 0,
      seatLimit: seats.get(r.productId)?.limit ?? 0,
    })),
    groups: groups.map((g) => ({ id: g.id, name: g.name })),
    adminRoles,
    siteAccess: sites.map((site) => ({
      siteId: site.id,
      siteName: site.name,
      hasAccess: access.find((a) => a.siteId === site.id)?.hasAccess ?? true,
    })),
    portalOnlyTwins: twins.map((t) => ({
      customerId: t.id,
      siteId: t.siteId,
      siteName: t.siteName,
      displayName: t.displayName,
      status: t.status,
    })),
  };
}

/**
 * Licences of the org: seat limit, seats used and seats available per product.
 * @throws {AppError} access errors
 */
export async function listLicences(ctx: UseCaseContext<OrgTenant>) {
  const { db } = ctx.services;
  const org = await assertCan(db, ctx.actor, 'org.view', ctx.tenant);
  const rows = await listProductsWithSites(db, org.id);
  const result = [];
  for (const { product, siteName } of rows) {
    const used = await countSeatsUsed(db, product.id);
    result.push({
      product,
      siteName,
      seatsUsed: used,
      seatsAvailable: Math.max(0, product.seatLimit - used),
    });
  }
  return result;
}
