import type { Context } from 'hono';
import type { OrganizationRow } from '#src/db/queries/directory/organizations.queries.ts';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { getOrgOverview } from '#src/domain/directory/org-overview.ts';
import { type Action, assertCan, type Principal } from '#src/domain/policies/can.ts';
import { AppError } from '#src/shared/errors.ts';
import type { AppEnv } from '#src/web/http.ts';
import { assertPathValue } from '#src/web/path-guards.ts';
import { csrfTokenOf } from '#src/web/session.ts';
import { useCaseContext } from '#src/web/use-case.ts';

export type AdminContext = Context<AppEnv>;

/** What every org page needs: the org (access checked), what the caller is in it, and the sites they may see. */
export interface OrgPage {
  org: OrganizationRow;
  principal: Principal;
  /** Org admins see every site; site admins of an original org only their own. */
  sites: SiteRow[];
  csrf: string;
  accountEmail: string;
}

/** The caller's account id, or a 401 (the admin middleware has already sent anonymous browsers to log in). */
export function accountOf(c: AdminContext): { accountId: string; email: string } {
  const actor = c.get('actor');
  if (actor.type !== 'account')
    throw new AppError('auth.unauthenticated', 'Log in to use the admin console.');
  return { accountId: actor.accountId, email: actor.email };
}

/** Loads an org page's frame, guarded by `org.view` (404 for strangers, 403 for members without admin rights). */
export async function loadOrgPage(c: AdminContext, orgId: string): Promise<OrgPage> {
  const account = accountOf(c);
  const { org, principal, sites } = await getOrgOverview(
    useCaseContext(c, { orgId: assertPathValue(orgId, 'directory.org_not_found') }),
  );
  return { org, principal, sites, csrf: csrfTokenOf(c) ?? '', accountEmail: account.email };
}

/**
 * A site of the org by name, guarded by `action` on that site. Another org's site answers 404 like a missing one.
 * @throws {AppError} `directory.site_not_found`, `auth.forbidden`
 */
export async function loadSiteOfOrg(c: AdminContext, page: OrgPage, siteName: string, action: Action) {
  const { db } = c.get('services');
  const site = await getSiteByName(db, assertPathValue(siteName, 'directory.site_not_found'));
  if (site.orgId !== page.org.id)
    throw new AppError('directory.site_not_found', `No site named ${siteName}.`);
  await assertCan(db, c.get('actor'), action, { orgId: page.org.id, siteId: site.id });
  return site;
}
