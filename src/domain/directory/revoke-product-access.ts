import { deleteProductRoleMemberships } from '#src/db/queries/directory/groups.queries.ts';
import { findProduct } from '#src/db/queries/directory/products.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { recordEvent } from '../audit/record-event.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

/**
 * Revokes a product role: the account leaves every group of the product that grants that role (its seat is freed
 * when it holds no other billable role). Revoking a role the account does not hold changes nothing.
 * Authorization is the caller's (the route checks `users.product_access` on the product's site).
 * @throws {AppError} `directory.product_not_found`
 */
export async function revokeProductAccess(
  ctx: UseCaseContext<OrgTenant>,
  input: {
    productId: string;
    accountId: string;
    role: 'customer' | 'user' | 'admin';
    ip?: string | null;
  },
): Promise<{ removedFromGroups: number }> {
  const { services, actor } = ctx;
  return services.db.transaction(async (tx) => {
    const product = await findProduct(tx, ctx.tenant.orgId, input.productId);
    if (!product) throw new AppError('directory.product_not_found', 'No such product in this organization.');
    const removedFromGroups = await deleteProductRoleMemberships(tx, product.id, input.role, input.accountId);
    if (removedFromGroups > 0) {
      await recordEvent(tx, services.clock, {
        orgId: ctx.tenant.orgId,
        action: 'product_access.revoked',
        actor,
        ip: input.ip,
        target: { type: 'account', id: input.accountId },
        siteId: product.siteId,
        data: { productId: product.id, productKey: product.key, role: input.role },
      });
    }
    return { removedFromGroups };
  });
}

/**
 * Checks `users.product_access` on the product's site (original: that site's admins too) and that the product
 * belongs to the org; used for both grant and revoke.
 * @throws {AppError} `directory.product_not_found`, plus access errors
 */
export async function authorizeProductAccess(
  ctx: UseCaseContext<OrgTenant>,
  input: { productId: string },
): Promise<void> {
  const { actor } = ctx;
  const { db } = ctx.services;
  const org = await assertCan(db, actor, 'users.view', { orgId: ctx.tenant.orgId });
  const product = await findProduct(db, org.id, input.productId);
  if (!product) throw new AppError('directory.product_not_found', 'No such product in this organization.');
  await assertCan(db, actor, 'users.product_access', { orgId: org.id, siteId: product.siteId });
}
