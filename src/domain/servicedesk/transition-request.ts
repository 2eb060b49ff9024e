import { insertComment } from '#src/db/queries/servicedesk/request-comments.queries.ts';
import { lockRequest, type RequestRow } from '#src/db/queries/servicedesk/requests.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { actingSiteUserId } from './desk-viewer.ts';
import { getRequest } from './get-request.ts';
import { changeRequestStatus } from './status-history.ts';
import { availableTransitions, type Transition } from './workflow.ts';

/**
 * The transitions the caller may take on a visible request now.
 * @throws {AppError} `servicedesk.request_not_found`
 */
export async function listRequestTransitions(
  ctx: UseCaseContext<DeskTenant>,
  issueIdOrKey: string,
): Promise<Transition[]> {
  const { viewer, request } = await getRequest(ctx, issueIdOrKey);
  return availableTransitions(request.status, viewer.role);
}

/**
 * Moves a visible request along the workflow, with an optional public comment. The transition must be open to
 * the caller from the current status (checked on the locked row).
 * @throws {AppError} `servicedesk.request_not_found`, `servicedesk.invalid_transition`
 */
export async function transitionRequest(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; transitionId: string; comment?: string },
): Promise<RequestRow> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  const { site } = viewer;
  return services.db.transaction(async (tx) => {
    const locked = (await lockRequest(tx, request.id))!;
    const transition = availableTransitions(locked.status, viewer.role).find(
      (t) => t.id === input.transitionId,
    );
    if (!transition) {
      throw new AppError(
        'servicedesk.invalid_transition',
        `Transition ${input.transitionId} is not available from "${locked.status}".`,
        { data: { status: locked.status } },
      );
    }
    const now = services.clock.now();
    if (input.comment) {
      await insertComment(tx, {
        orgId: site.orgId,
        requestId: request.id,
        authorId: await actingSiteUserId(tx, viewer),
        body: input.comment,
        isPublic: true,
        createdAt: now,
      });
    }
    return changeRequestStatus(tx, request, transition.to, now);
  });
}
