import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import {
  listSiteRequestTypes,
  type RequestTypeRow,
} from '#src/db/queries/servicedesk/request-types.queries.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { resolveDeskViewer } from './desk-viewer.ts';
import { getServiceDeskFor } from './get-service-desk.ts';

/**
 * Request types across the site's desks the caller can reach (`limit + 1` rows): agents get every type,
 * customers the open types of desks they can reach. `serviceDeskId` narrows to desks that must each be visible.
 * @throws {AppError} `servicedesk.not_found` for a named desk the caller cannot see
 */
export async function listSiteRequestTypesFor(
  services: Pick<AppServices, 'db'>,
  actor: Actor,
  site: SiteRow,
  input: { serviceDeskIds: string[]; searchQuery?: string; start: number; limit: number },
): Promise<RequestTypeRow[]> {
  const viewer = await resolveDeskViewer(services.db, actor, site);
  const deskIds: number[] = [];
  for (const id of input.serviceDeskIds) deskIds.push((await getServiceDeskFor(services, viewer, id)).id);
  return listSiteRequestTypes(services.db, site.id, {
    serviceDeskIds: deskIds,
    searchQuery: input.searchQuery,
    ...(viewer.role === 'customer' ? { customerSiteUserId: viewer.siteUserId } : {}),
    start: input.start,
    limit: input.limit + 1,
  });
}
