import type { Executor } from '#src/db/client.ts';
import {
  insertRequestType,
  insertRequestTypeGroup,
  type RequestTypeGroupRow,
  type RequestTypeRow,
} from '#src/db/queries/servicedesk/request-types.queries.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { assertAgent, deskViewerOf } from './desk-viewer.ts';
import { getServiceDeskFor } from './get-service-desk.ts';

export interface CreateRequestTypeInput {
  serviceDeskId: number;
  name: string;
  description?: string;
  helpText?: string;
  groupIds?: number[];
  restriction?: 'OPEN' | 'RESTRICTED';
  isHidden?: boolean;
}

/**
 * Adds a request type to a desk (JSM admins), in the caller's transaction.
 * @throws {AppError} `auth.forbidden`, `servicedesk.not_found`
 */
export async function createRequestType(
  ctx: UseCaseContext<DeskTenant>,
  input: CreateRequestTypeInput,
  tx: Executor = ctx.services.db,
): Promise<RequestTypeRow> {
  const viewer = await deskViewerOf(ctx, tx);
  const { site } = viewer;
  assertAgent(viewer, { admin: true });
  const desk = await getServiceDeskFor({ db: tx }, viewer, input.serviceDeskId);
  return insertRequestType(tx, {
    orgId: site.orgId,
    serviceDeskId: desk.id,
    name: input.name.trim(),
    description: input.description ?? '',
    helpText: input.helpText ?? '',
    groupIds: input.groupIds ?? [],
    restriction: input.restriction ?? 'OPEN',
    isHidden: input.isHidden ?? false,
  });
}

/**
 * Adds a request type group (portal section) to a desk, shown in `position` order.
 * @throws {AppError} `auth.forbidden`, `servicedesk.not_found`
 */
export async function createRequestTypeGroup(
  ctx: UseCaseContext<DeskTenant>,
  input: { serviceDeskId: number; name: string; position?: number },
  tx: Executor = ctx.services.db,
): Promise<RequestTypeGroupRow> {
  const viewer = await deskViewerOf(ctx, tx);
  const { site } = viewer;
  assertAgent(viewer, { admin: true });
  const desk = await getServiceDeskFor({ db: tx }, viewer, input.serviceDeskId);
  return insertRequestTypeGroup(tx, {
    orgId: site.orgId,
    serviceDeskId: desk.id,
    name: input.name.trim(),
    position: input.position ?? 0,
  });
}
