import type { Executor } from '#src/db/client.ts';
import type { OrganizationRow } from '#src/db/queries/directory/organizations.queries.ts';
import { findSite, type SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { Actor } from '../policies/actor.ts';
import { type Action, assertCan } from '../policies/can.ts';

/**
 * Authorizes a portal-only customer administration action on one site of an org (reference §H: centralized →
 * org admins; original → org admins and that site's admins), then loads the site.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`, `directory.site_not_found`
 */
export async function authorizeCustomerAdmin(
  db: Executor,
  actor: Actor,
  action: Action,
  target: { orgId: string; siteId: string },
): Promise<{ org: OrganizationRow; site: SiteRow }> {
  const org = await assertCan(db, actor, action, target);
  const site = await findSite(db, org.id, target.siteId);
  if (!site) throw new AppError('directory.site_not_found', `No site ${target.siteId} in this organization.`);
  return { org, site };
}
