import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '#src/api/http.ts';
import { csrfTokenOf } from '#src/api/middleware/session.ts';
import type { OrganizationRow } from '#src/db/queries/directory/organizations.queries.ts';
import { listSites, type SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { type Action, assertCan, loadPrincipal, type Principal } from '#src/domain/policies/can.ts';
import { AppError } from '#src/shared/errors.ts';

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

/** Path ids and names never hold control characters (a NUL would fail in the database): such paths are 404. */
export function assertPathValue<T extends string | undefined>(
  value: T,
  code: 'directory.org_not_found' | 'directory.site_not_found',
): T {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (value !== undefined && (/[\u0000-\u001f]/.test(value) || value.length > 200))
    throw new AppError(code, 'Not found.');
  return value;
}

/** Loads an org page's frame, guarded by `org.view` (404 for strangers, 403 for members without admin rights). */
export async function loadOrgPage(c: AdminContext, orgId: string): Promise<OrgPage> {
  const { db } = c.get('services');
  const actor = c.get('actor');
  const account = accountOf(c);
  const org = await assertCan(db, actor, 'org.view', {
    orgId: assertPathValue(orgId, 'directory.org_not_found'),
  });
  const principal = await loadPrincipal(db, actor, org.id);
  const all = await listSites(db, org.id);
  const sites = principal.isOrgAdmin ? all : all.filter((site) => principal.siteAdminOf.has(site.id));
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

/**
 * Browser pages take ids, names and search text from the URL; a NUL byte cannot reach PostgreSQL, so a URL holding
 * one (raw or percent-encoded) is answered as not found before any handler runs.
 */
export const rejectNulInUrl: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (/%00/i.test(c.req.url) || c.req.url.includes('\0'))
    throw new AppError('request.not_found', 'Not found.');
  return next();
};
