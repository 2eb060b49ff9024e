import type { Executor } from '#src/db/client.ts';
import { listAdminRolesOfAccount } from '#src/db/queries/directory/admin-roles.queries.ts';
import { listAgentSitesOfAccount } from '#src/db/queries/directory/groups.queries.ts';
import { listOrganizationsByIds } from '#src/db/queries/directory/organizations.queries.ts';
import { listSitesOfAccount } from '#src/db/queries/directory/site-users.queries.ts';

/** The places a person works in: orgs they administer, queues they work, help centers they use. */
export interface Workplaces {
  consoles: { orgId: string; name: string; userManagement: 'centralized' | 'original' }[];
  queues: { siteName: string }[];
  portals: { siteName: string }[];
}

/** Where the account may go after logging in, each list in a stable order. */
export async function listWorkplaces(db: Executor, accountId: string): Promise<Workplaces> {
  const [roles, agentSites, portalSites] = await Promise.all([
    listAdminRolesOfAccount(db, accountId),
    listAgentSitesOfAccount(db, accountId),
    listSitesOfAccount(db, accountId),
  ]);
  const orgs = await listOrganizationsByIds(db, [...new Set(roles.map((r) => r.orgId))], undefined, 200);
  return {
    consoles: orgs.map((org) => ({ orgId: org.id, name: org.name, userManagement: org.userManagement })),
    queues: agentSites.map((s) => ({ siteName: s.siteName })),
    portals: portalSites.map((s) => ({ siteName: s.siteName })),
  };
}

/**
 * Where someone lands after logging in, when one place is the obvious one: the single org they administer, else
 * the single queue they work, else the single help center they use. Undefined when they must choose (several
 * places of the first kind they have, or none at all).
 */
export function landingOf(
  places: Workplaces,
): { kind: 'console' | 'queue' | 'portal'; key: string } | undefined {
  if (places.consoles.length > 0)
    return places.consoles.length === 1 ? { kind: 'console', key: places.consoles[0]!.orgId } : undefined;
  if (places.queues.length > 0)
    return places.queues.length === 1 ? { kind: 'queue', key: places.queues[0]!.siteName } : undefined;
  if (places.portals.length === 1) return { kind: 'portal', key: places.portals[0]!.siteName };
  return undefined;
}
