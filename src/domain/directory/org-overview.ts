import { listSites } from '#src/db/queries/directory/sites.queries.ts';
import { assertCan, loadPrincipal } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

/**
 * The org as its admin console opens it, guarded by `org.view` (404 for strangers, 403 for members without
 * admin rights): the org, what the caller is in it, and the sites they may see (org admins every site, site
 * admins of an original org only their own).
 */
export async function getOrgOverview(ctx: UseCaseContext<OrgTenant>) {
  const { db } = ctx.services;
  const org = await assertCan(db, ctx.actor, 'org.view', ctx.tenant);
  const principal = await loadPrincipal(db, ctx.actor, org.id);
  const all = await listSites(db, org.id);
  const sites = principal.isOrgAdmin ? all : all.filter((site) => principal.siteAdminOf.has(site.id));
  return { org, principal, sites };
}
