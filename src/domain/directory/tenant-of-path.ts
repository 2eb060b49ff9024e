import { findSiteByName } from '#src/db/queries/directory/sites.queries.ts';
import { asSystem, withTenant } from '#src/db/tenant-scope.ts';
import type { AppServices } from '../services.ts';

const ORG_PATH = /^\/admin\/(?:v\d+\/orgs|o)\/([^/]+)/;
const SITE_PATH = /^\/sites\/([^/]+)/;
const CACHE_LIMIT = 10_000;
/** Site name → org id, per database: a site never changes org, so a request pays the lookup once per site. */
const siteOrgs = new WeakMap<object, Map<string, string>>();

/**
 * The org a request path belongs to, for its row-level-security scope: the org of `/admin/v1|v2/orgs/{org}` and
 * `/admin/o/{org}` paths, the org owning the site of `/sites/{site}` paths (looked up as the system: site names are
 * global). Undefined for paths of no tenant (sign-in by email, the account's own pages, system routes).
 */
export async function tenantOfPath(
  services: Pick<AppServices, 'db'>,
  path: string,
): Promise<string | undefined> {
  const org = ORG_PATH.exec(path)?.[1];
  if (org) return decodeURIComponent(org);
  const siteName = SITE_PATH.exec(path)?.[1];
  if (!siteName) return undefined;
  const name = decodeURIComponent(siteName).toLowerCase();
  const cache = siteOrgs.get(services.db) ?? new Map<string, string>();
  siteOrgs.set(services.db, cache);
  const cached = cache.get(name);
  if (cached) return cached;
  const site = await asSystem(() => findSiteByName(services.db, name));
  if (!site) return undefined;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(name, site.orgId);
  return site.orgId;
}

/**
 * Runs the rest of a request scoped to the org its path belongs to (row-level security); a path of no tenant
 * runs `next` unchanged (the system scope stays).
 */
export async function runInTenantOfPath(
  services: Pick<AppServices, 'db'>,
  path: string,
  next: () => Promise<void>,
): Promise<void> {
  const orgId = await tenantOfPath(services, path);
  if (!orgId) return next();
  await withTenant(orgId, next);
}
