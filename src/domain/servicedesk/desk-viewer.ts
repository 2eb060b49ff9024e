import type { Executor } from '#src/db/client.ts';
import { findCustomerOnSite } from '#src/db/queries/customers/portal-customers.queries.ts';
import { findOrganization } from '#src/db/queries/directory/organizations.queries.ts';
import { findSiteUserOfAccount } from '#src/db/queries/directory/site-users.queries.ts';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { findSiteWithCustomer } from '#src/db/queries/directory/sites.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { getSiteByName } from '../directory/get-site.ts';
import { ensureAccountSiteUser } from '../directory/site-users.ts';
import type { Actor } from '../policies/actor.ts';
import { decide, loadPrincipal } from '../policies/can.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';

/**
 * Who is looking at a site's service desks, resolved once per call: an **agent** (JSM agent or admin on the
 * site, an org admin, the org's API key, the system) or a **customer** (a portal-only customer of this site, or
 * any other account holder). Every service-desk use case starts here.
 */
export interface DeskViewer {
  role: 'agent' | 'customer';
  /** JSM admin of the site (may manage desks, request types, see restricted request types). */
  isAdmin: boolean;
  actor: Actor;
  site: SiteRow;
  /** The viewer's site user (user key) on this site, when it has one yet. */
  siteUserId: string | null;
  /** Site users of customers being migrated to this account in chunks: their requests are the viewer's too. */
  migratingFrom?: string[];
  /**
   * Known to the site: an agent, a member of its organization, or a customer with a site user here. A caller
   * without standing is refused with 404 (like another tenant's object), never a 403 that confirms it exists.
   */
  hasStanding: boolean;
  /** An admin of the site (site admin or org admin): sees the site's people like an agent does. */
  isSiteAdmin: boolean;
}

/**
 * Resolves the actor on a site.
 * @throws {AppError} `auth.unauthenticated` for anonymous callers and for a portal-only customer of another
 *   site (portal-only accounts exist on one site only); `directory.site_not_found` for another org's API key.
 */
export async function resolveDeskViewer(db: Executor, actor: Actor, site: SiteRow): Promise<DeskViewer> {
  switch (actor.type) {
    case 'anonymous':
      throw new AppError('auth.unauthenticated', 'Log in, or authenticate with an API token.');
    case 'system':
    case 'api_key':
      // The system, and an org API key on its own org's sites: an admin agent that is no person.
      if (actor.type === 'api_key' && actor.orgId !== site.orgId)
        throw new AppError('directory.site_not_found', `No site named ${site.name}.`);
      return {
        role: 'agent',
        isAdmin: true,
        actor,
        site,
        siteUserId: null,
        hasStanding: true,
        isSiteAdmin: true,
      };
    case 'customer': {
      const customer =
        actor.siteId === site.id ? await findCustomerOnSite(db, site.id, actor.customerId) : undefined;
      if (customer?.status !== 'active') {
        throw new AppError('auth.unauthenticated', 'This portal-only account cannot be used on this site.');
      }
      return {
        role: 'customer',
        isAdmin: false,
        actor,
        site,
        siteUserId: customer.siteUserId ?? null,
        hasStanding: true,
        isSiteAdmin: false,
      };
    }
    case 'account': {
      const org = await findOrganization(db, site.orgId);
      if (!org) throw new AppError('directory.site_not_found', `No site named ${site.name}.`);
      const principal = await loadPrincipal(db, actor, org.id);
      const siteUser = await findSiteUserOfAccount(db, site.id, actor.accountId);
      const isAgent = decide(principal, 'servicedesk.work', org.userManagement, site.id);
      return {
        role: isAgent ? 'agent' : 'customer',
        isAdmin: isAgent && decide(principal, 'servicedesk.admin', org.userManagement, site.id),
        actor,
        site,
        siteUserId: siteUser?.id ?? null,
        migratingFrom: siteUser?.migratingFrom?.length ? siteUser.migratingFrom : undefined,
        hasStanding: isAgent || principal.hasStanding || siteUser !== undefined,
        isSiteAdmin: !principal.isSuspended && (principal.isOrgAdmin || principal.siteAdminOf.has(site.id)),
      };
    }
  }
}

/**
 * Resolves the site named in a `/sites/{site}/…` path and the caller on it. A portal-only customer takes one
 * statement for both, or none when its session already read them (`portal` on the actor: the common portal and
 * customer-API case).
 * @throws {AppError} `directory.site_not_found`, `auth.unauthenticated` (see `resolveDeskViewer`)
 */
export async function resolveSiteViewer(db: Executor, actor: Actor, siteName: string): Promise<DeskViewer> {
  if (actor.type !== 'customer') return resolveDeskViewer(db, actor, await getSiteByName(db, siteName));
  // The session's statement read the customer's own site with it; another site named in the path is read here
  // (and refused below).
  const { portal } = actor;
  const found =
    portal && portal.site.name.toLowerCase() === siteName.toLowerCase()
      ? { ...portal, status: 'active' as const }
      : await findSiteWithCustomer(db, siteName, actor.customerId);
  if (!found) throw new AppError('directory.site_not_found', `No site named ${siteName}.`);
  if (found.site.id !== actor.siteId || found.status !== 'active') {
    throw new AppError('auth.unauthenticated', 'This portal-only account cannot be used on this site.');
  }
  return {
    role: 'customer',
    isAdmin: false,
    actor,
    site: found.site,
    siteUserId: found.siteUserId ?? null,
    hasStanding: true,
    isSiteAdmin: false,
  };
}

/**
 * The caller of a service-desk use case on the site its tenant names: `resolveDeskViewer` for a site the edge
 * looked up, `resolveSiteViewer` for a site named only (its `site` is the row either way); `db` is the caller's
 * transaction when it runs inside one.
 * @throws {AppError} `directory.site_not_found`, `auth.unauthenticated` (see `resolveDeskViewer`)
 */
export function deskViewerOf(
  ctx: UseCaseContext<DeskTenant>,
  db: Executor = ctx.services.db,
): Promise<DeskViewer> {
  const { actor, tenant } = ctx;
  return 'site' in tenant
    ? resolveDeskViewer(db, actor, tenant.site)
    : resolveSiteViewer(db, actor, tenant.siteName);
}

/**
 * The viewer's site user, created on first write for an account (a new user key on this site).
 * @throws {AppError} `auth.forbidden` for callers that are no person (an org API key, the system).
 */
export async function actingSiteUserId(tx: Executor, viewer: DeskViewer): Promise<string> {
  if (viewer.siteUserId) return viewer.siteUserId;
  if (viewer.actor.type === 'account') {
    const siteUser = await ensureAccountSiteUser(tx, {
      orgId: viewer.site.orgId,
      siteId: viewer.site.id,
      accountId: viewer.actor.accountId,
    });
    viewer.siteUserId = siteUser.id;
    return siteUser.id;
  }
  throw new AppError(
    'auth.forbidden',
    'Only a person can do this: use an account’s API token, not an org API key.',
  );
}

/**
 * @throws {AppError} unless the viewer is an agent (or admin, with `admin: true`) of the site: `auth.forbidden`
 *   for a caller known to the site, `request.not_found` (404, no detail) for a stranger to it.
 */
export function assertAgent(viewer: DeskViewer, options: { admin?: boolean } = {}): void {
  if (viewer.role !== 'agent' && !viewer.hasStanding) throw new AppError('request.not_found', 'Not found.');
  if (viewer.role !== 'agent' || (options.admin && !viewer.isAdmin)) {
    throw new AppError(
      'auth.forbidden',
      options.admin
        ? 'Only Jira Service Management admins of this site can do this.'
        : 'Only agents of this site’s service desks can do this.',
    );
  }
}
