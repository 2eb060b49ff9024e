import type { OrganizationRow } from '#src/db/queries/directory/organizations.queries.ts';
import { findSite, type SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { type Action, assertCan } from '../policies/can.ts';
import type { SiteTenant, UseCaseContext } from '../use-case.ts';

/**
 * Authorizes a portal-only customer administration action on one site of an org (reference §H: centralized →
 * org admins; original → org admins and that site's admins), then loads the site.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`, `directory.site_not_found`
 */
export async function authorizeCustomerAdmin(
  ctx: UseCaseContext<SiteTenant>,
  action: Action,
): Promise<{ org: OrganizationRow; site: SiteRow }> {
  const { db } = ctx.services;
  const org = await assertCan(db, ctx.actor, action, ctx.tenant);
  const site = await findSite(db, org.id, ctx.tenant.siteId);
  if (!site)
    throw new AppError('directory.site_not_found', `No site ${ctx.tenant.siteId} in this organization.`);
  return { org, site };
}
