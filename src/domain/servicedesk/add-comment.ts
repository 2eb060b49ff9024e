import { type CommentRow, insertComment } from '#src/db/queries/servicedesk/request-comments.queries.ts';
import { lockRequest, updateRequest } from '#src/db/queries/servicedesk/requests.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { actingSiteUserId } from './desk-viewer.ts';
import { getRequest } from './get-request.ts';
import { changeRequestStatus } from './status-history.ts';

/**
 * Adds a public reply or (agents only) an internal note to a request the caller can see. A customer's reply
 * to a request waiting for them hands it back to support.
 * @throws {AppError} `auth.unauthenticated`, `servicedesk.request_not_found` (also for invisible requests),
 *   `auth.forbidden` (a customer asking for an internal comment, an API key authoring)
 */
export async function addComment(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; body: string; isPublic: boolean },
): Promise<CommentRow> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  const { site } = viewer;
  if (viewer.role === 'customer' && !input.isPublic) {
    throw new AppError('auth.forbidden', 'Customers can only add public comments.');
  }
  return services.db.transaction(async (tx) => {
    const authorId = await actingSiteUserId(tx, viewer);
    const locked = (await lockRequest(tx, request.id))!;
    const now = services.clock.now();
    const comment = await insertComment(tx, {
      orgId: site.orgId,
      requestId: request.id,
      authorId,
      body: input.body,
      isPublic: input.isPublic,
      createdAt: now,
    });
    const handBack = viewer.role === 'customer' && locked.status === 'Waiting for customer';
    if (handBack) await changeRequestStatus(tx, request, 'Waiting for support', now);
    else await updateRequest(tx, request.id, {}, now);
    return comment;
  });
}
