import {
  type CommentRow,
  findComment,
  listComments,
} from '#src/db/queries/servicedesk/request-comments.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import type { DeskViewer } from './desk-viewer.ts';
import { getRequest } from './get-request.ts';
import { canSeeInternalComments } from './request-visibility.ts';

/**
 * Comments of a visible request, oldest first (`limit + 1` rows). `public`/`internal` filter as JSM's flags
 * (both default true); customers never get internal comments whatever they ask.
 * @throws {AppError} `servicedesk.request_not_found`
 */
export async function listRequestComments(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; public?: boolean; internal?: boolean; start: number; limit: number },
): Promise<{ viewer: DeskViewer; comments: CommentRow[] }> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  const comments = await listComments(services.db, request.id, {
    includePublic: input.public ?? true,
    includeInternal: (input.internal ?? true) && canSeeInternalComments(viewer),
    start: input.start,
    limit: input.limit + 1,
  });
  return { viewer, comments };
}

/**
 * One comment of a visible request; an internal one is not found for customers.
 * @throws {AppError} `servicedesk.request_not_found`, `servicedesk.comment_not_found`
 */
export async function getRequestComment(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; commentId: number },
): Promise<CommentRow> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  const comment = await findComment(services.db, request.id, input.commentId);
  if (!comment || (!comment.isPublic && !canSeeInternalComments(viewer))) {
    throw new AppError(
      'servicedesk.comment_not_found',
      `No comment ${input.commentId} on ${request.issueKey}.`,
    );
  }
  return comment;
}
