import { listProducts } from '#src/db/queries/directory/products.queries.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

/**
 * The org's products (of one site when the tenant names it), guarded by `org.view`.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`
 */
export async function listOrgProducts(ctx: UseCaseContext<OrgTenant>) {
  const org = await assertCan(ctx.services.db, ctx.actor, 'org.view', ctx.tenant);
  return listProducts(ctx.services.db, org.id, ctx.tenant.siteId);
}
