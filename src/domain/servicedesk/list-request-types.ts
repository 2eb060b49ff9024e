import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import {
  findRequestType,
  listRequestTypeGroups,
  listRequestTypes,
} from '#src/db/queries/servicedesk/request-types.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { getServiceDesk } from './get-service-desk.ts';

/**
 * A page of a service desk's request types, ordered by id; restricted types only for its agents.
 * @throws {AppError} `servicedesk.not_found` (also a desk the caller cannot reach), plus access errors
 */
export async function listDeskRequestTypes(
  services: Pick<AppServices, 'db'>,
  actor: Actor,
  site: SiteRow,
  input: {
    serviceDeskId: string | number;
    groupId?: number;
    searchQuery?: string;
    start: number;
    limit: number;
  },
) {
  const { serviceDeskId, ...filter } = input;
  const { viewer, desk } = await getServiceDesk(services, actor, site, serviceDeskId);
  const types = await listRequestTypes(services.db, desk.id, {
    ...filter,
    includeRestricted: viewer.role === 'agent',
  });
  return { viewer, desk, types };
}

/**
 * One request type of a service desk; a restricted one is not found for non-agents.
 * @throws {AppError} `servicedesk.request_type_not_found`, `servicedesk.not_found`, plus access errors
 */
export async function getDeskRequestType(
  services: Pick<AppServices, 'db'>,
  actor: Actor,
  site: SiteRow,
  input: { serviceDeskId: string | number; requestTypeId: number },
) {
  const { viewer, desk } = await getServiceDesk(services, actor, site, input.serviceDeskId);
  const type = await findRequestType(services.db, desk.id, input.requestTypeId);
  if (!type || (type.restriction === 'RESTRICTED' && viewer.role !== 'agent')) {
    throw new AppError(
      'servicedesk.request_type_not_found',
      `No request type ${input.requestTypeId} on this service desk.`,
    );
  }
  return { viewer, desk, type };
}

/** The request type groups of a service desk the caller can reach. */
export async function listDeskRequestTypeGroups(
  services: Pick<AppServices, 'db'>,
  actor: Actor,
  site: SiteRow,
  input: { serviceDeskId: string | number },
) {
  const { desk } = await getServiceDesk(services, actor, site, input.serviceDeskId);
  return listRequestTypeGroups(services.db, desk.id);
}
