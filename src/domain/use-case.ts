import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { Actor } from './policies/actor.ts';
import type { AppServices } from './services.ts';

/**
 * What the edge hands every use case, first argument: the services, the caller (authenticated by the edge,
 * authorized by the use case through `assertCan`) and the tenant the request names (`/orgs/{orgId}`,
 * `/sites/{site}`), still unchecked. The second argument is the use case's own input.
 */
export interface UseCaseContext<TTenant = Record<string, never>> {
  readonly services: AppServices;
  readonly actor: Actor;
  readonly tenant: TTenant;
}

/** The tenant of org-scoped use cases: the org the path names (and, for site-level admins, the site). */
export interface OrgTenant {
  orgId: string;
  siteId?: string;
}

/** The tenant of site-scoped admin use cases (customers, migrations): the org and one of its sites. */
export interface SiteTenant {
  orgId: string;
  siteId: string;
}

/**
 * The tenant of service-desk use cases: the site a `/sites/{site}/…` path names. Site names are global (like
 * hostnames), so the edge may look the site up by name and pass the row (`{ site }`; the portal has it already,
 * and an edge calling several use cases looks it up once); or pass only the name (`{ siteName }`), and the use
 * case finds the site and a portal-only customer on it in one statement (`resolveSiteViewer`). Either way the use
 * case resolves the caller on the site (`deskViewerOf`) and decides what it may do there.
 */
export type DeskTenant = { site: SiteRow } | { siteName: string };
