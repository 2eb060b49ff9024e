import { insertRequestOrganizations } from '#src/db/queries/servicedesk/request-organizations.queries.ts';
import { insertParticipants } from '#src/db/queries/servicedesk/request-participants.queries.ts';
import { findRequestType } from '#src/db/queries/servicedesk/request-types.queries.ts';
import { insertRequest, type RequestRow } from '#src/db/queries/servicedesk/requests.queries.ts';
import {
  insertDeskCustomers,
  takeNextIssueNumber,
} from '#src/db/queries/servicedesk/service-desks.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { openConfiguredApproval } from './approvals.ts';
import { actingSiteUserId, type DeskViewer, deskViewerOf } from './desk-viewer.ts';
import { getServiceDeskFor } from './get-service-desk.ts';
import { resolveAllPeople, resolvePeople } from './people.ts';
import { assertMayShareWith, assertMayShareWithOrganizations } from './sharing-rules.ts';
import { recordInitialStatus } from './status-history.ts';

export interface CreateRequestInput {
  serviceDeskId: string | number;
  requestTypeId: number;
  summary: string;
  description?: string;
  /** Agents only: the customer (account id or `qm:` id) the request is raised for; they become the reporter. */
  raiseOnBehalfOf?: string;
  /** People to share the request with (subject to the desk's customer-sharing rule for customers). */
  requestParticipants?: string[];
  /** Customer organizations to share the request with. */
  organizationIds?: number[];
}

/**
 * Raises a request: by a customer (portal-only or account holder) on a desk they can reach, or by an agent on
 * someone's behalf. Everything is checked before anything is written; the desk row is locked for the
 * per-desk key `<KEY>-<n>`. The reporter joins the desk's Customers list.
 * @throws {AppError} `auth.unauthenticated`, `auth.forbidden`, `servicedesk.not_found`,
 *   `servicedesk.request_type_not_found`, `servicedesk.customer_not_found`, `servicedesk.sharing_not_allowed`,
 *   `servicedesk.organization_not_found`
 */
export async function createRequest(
  ctx: UseCaseContext<DeskTenant>,
  input: CreateRequestInput,
): Promise<{ viewer: DeskViewer; request: RequestRow }> {
  const { services } = ctx;
  const viewer = await deskViewerOf(ctx);
  const { site } = viewer;
  const desk = await getServiceDeskFor(services, viewer, input.serviceDeskId);
  const requestType = await findRequestType(services.db, desk.id, input.requestTypeId);
  if (!requestType || (requestType.restriction === 'RESTRICTED' && viewer.role === 'customer')) {
    throw new AppError(
      'servicedesk.request_type_not_found',
      `Request type ${input.requestTypeId} does not belong to service desk ${desk.id}.`,
    );
  }
  if (input.raiseOnBehalfOf !== undefined && viewer.role !== 'agent') {
    throw new AppError('auth.forbidden', 'Only agents can raise a request on behalf of someone else.');
  }
  const request = await services.db.transaction(async (tx) => {
    const actingId = await actingSiteUserId(tx, viewer);
    let reporterId = actingId;
    if (input.raiseOnBehalfOf !== undefined) {
      const { people, missing } = await resolvePeople(tx, site, [input.raiseOnBehalfOf], { create: true });
      if (missing.length > 0 || !people[0]) {
        throw new AppError(
          'servicedesk.customer_not_found',
          `No user ${input.raiseOnBehalfOf} on this site.`,
          {
            data: { missing },
          },
        );
      }
      reporterId = people[0].siteUserId;
    }
    const participants = await resolveAllPeople(tx, site, input.requestParticipants ?? [], {
      create: viewer.role === 'agent',
    });
    await assertMayShareWith(tx, viewer, desk, reporterId, participants);
    const organizationIds = [...new Set(input.organizationIds ?? [])];
    await assertMayShareWithOrganizations(tx, viewer, desk, reporterId, organizationIds);

    const number = await takeNextIssueNumber(tx, desk.id);
    const now = services.clock.now();
    const created = await insertRequest(tx, {
      orgId: site.orgId,
      siteId: site.id,
      serviceDeskId: desk.id,
      requestTypeId: requestType.id,
      issueKey: `${desk.projectKey}-${number}`,
      summary: input.summary.trim(),
      description: input.description ?? '',
      reporterId,
      raisedById: reporterId === actingId ? null : actingId,
      createdAt: now,
      updatedAt: now,
      statusChangedAt: now,
    });
    await insertParticipants(
      tx,
      site.orgId,
      created.id,
      participants.map((p) => p.siteUserId).filter((id) => id !== reporterId),
    );
    await insertRequestOrganizations(tx, site.orgId, created.id, organizationIds);
    await recordInitialStatus(tx, created);
    await openConfiguredApproval(tx, created, now);
    if (viewer.role === 'customer' || reporterId !== actingId) {
      await insertDeskCustomers(tx, site.orgId, desk.id, [reporterId]);
    }
    return created;
  });
  return { viewer, request };
}
