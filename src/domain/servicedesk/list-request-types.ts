import {
  findRequestType,
  listRequestTypeGroups,
  listRequestTypes,
  listSiteRequestTypes,
  type RequestTypeRow,
} from '#src/db/queries/servicedesk/request-types.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { deskViewerOf } from './desk-viewer.ts';
import { getServiceDesk, getServiceDeskFor } from './get-service-desk.ts';

/**
 * A page of a service desk's request types, ordered by id; restricted types only for its agents.
 * @throws {AppError} `servicedesk.not_found` (also a desk the caller cannot reach), plus access errors
 */
export async function listDeskRequestTypes(
  ctx: UseCaseContext<DeskTenant>,
  input: {
    serviceDeskId: string | number;
    groupId?: number;
    searchQuery?: string;
    start: number;
    limit: number;
  },
) {
  const { services } = ctx;
  const { serviceDeskId, ...filter } = input;
  const { viewer, desk } = await getServiceDesk(ctx, serviceDeskId);
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
  ctx: UseCaseContext<DeskTenant>,
  input: { serviceDeskId: string | number; requestTypeId: number },
) {
  const { services } = ctx;
  const { viewer, desk } = await getServiceDesk(ctx, input.serviceDeskId);
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
  ctx: UseCaseContext<DeskTenant>,
  input: { serviceDeskId: string | number },
) {
  const { services } = ctx;
  const { desk } = await getServiceDesk(ctx, input.serviceDeskId);
  return listRequestTypeGroups(services.db, desk.id);
}

/**
 * Request types across the site's desks the caller can reach (`limit + 1` rows): agents get every type,
 * customers the open types of desks they can reach. `serviceDeskId` narrows to desks that must each be visible.
 * @throws {AppError} `servicedesk.not_found` for a named desk the caller cannot see
 */
export async function listSiteRequestTypesFor(
  ctx: UseCaseContext<DeskTenant>,
  input: { serviceDeskIds: string[]; searchQuery?: string; start: number; limit: number },
): Promise<RequestTypeRow[]> {
  const { services } = ctx;
  const viewer = await deskViewerOf(ctx);
  const { site } = viewer;
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
