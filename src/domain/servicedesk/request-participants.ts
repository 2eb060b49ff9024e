import {
  deleteParticipants,
  insertParticipants,
  listParticipantIds,
} from '#src/db/queries/servicedesk/request-participants.queries.ts';
import { touchRequest } from '#src/db/queries/servicedesk/requests.queries.ts';
import { findServiceDesk } from '#src/db/queries/servicedesk/service-desks.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { actingSiteUserId } from './desk-viewer.ts';
import { getRequest } from './get-request.ts';
import { loadPeople, type Person, resolveAllPeople } from './people.ts';
import { assertMayShareWith } from './sharing-rules.ts';

/**
 * Participants of a visible request, in the order they were added (`limit + 1`).
 * @throws {AppError} `servicedesk.request_not_found`
 */
export async function listRequestParticipants(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; start: number; limit: number },
): Promise<Person[]> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  const ids = await listParticipantIds(services.db, request.id, {
    start: input.start,
    limit: input.limit + 1,
  });
  const people = await loadPeople(services.db, viewer, ids);
  return ids.flatMap((id) => (people.has(id) ? [people.get(id)!] : []));
}

/**
 * Shares a visible request with more people: agents with anyone on the site, customers within the desk's
 * sharing rule. All ids must exist; nothing is written otherwise.
 * @throws {AppError} `servicedesk.request_not_found`, `servicedesk.customer_not_found`,
 *   `servicedesk.sharing_not_allowed`
 */
export async function addRequestParticipants(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; accountIds: string[] },
): Promise<void> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  const { site } = viewer;
  const desk = (await findServiceDesk(services.db, site.id, request.serviceDeskId))!;
  await services.db.transaction(async (tx) => {
    const sharer = viewer.role === 'customer' ? await actingSiteUserId(tx, viewer) : request.reporterId;
    const people = await resolveAllPeople(tx, site, input.accountIds, {
      create: viewer.role === 'agent',
    });
    await assertMayShareWith(tx, viewer, desk, sharer, people);
    await insertParticipants(
      tx,
      site.orgId,
      request.id,
      people.map((p) => p.siteUserId).filter((id) => id !== request.reporterId),
    );
    await touchRequest(tx, request.id, services.clock.now());
  });
}

/**
 * Removes participants from a visible request (agents, or a customer removing themselves or people they may
 * share with).
 * @throws {AppError} `servicedesk.request_not_found`, `servicedesk.customer_not_found`, `auth.forbidden`
 */
export async function removeRequestParticipants(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; accountIds: string[] },
): Promise<void> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  const { site } = viewer;
  await services.db.transaction(async (tx) => {
    const people = await resolveAllPeople(tx, site, input.accountIds, { create: false });
    if (viewer.role === 'customer' && viewer.siteUserId !== request.reporterId) {
      if (people.some((p) => p.siteUserId !== viewer.siteUserId)) {
        throw new AppError('auth.forbidden', 'Only the reporter or an agent can remove other participants.');
      }
    }
    await deleteParticipants(
      tx,
      request.id,
      people.map((p) => p.siteUserId),
    );
    await touchRequest(tx, request.id, services.clock.now());
  });
}
