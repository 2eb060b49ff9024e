import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import {
  type CommentRow,
  findComment,
  listComments,
} from '#src/db/queries/servicedesk/request-comments.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { type DeskViewer, resolveDeskViewer } from './desk-viewer.ts';
import { getVisibleRequest } from './get-request.ts';
import { canSeeInternalComments } from './request-visibility.ts';

/**
 * Comments of a visible request, oldest first (`limit + 1` rows). `public`/`internal` filter as JSM's flags
 * (both default true); customers never get internal comments whatever they ask.
 * @throws {AppError} `servicedesk.request_not_found`
 */
export async function listRequestComments(
  services: Pick<AppServices, 'db'>,
  actor: Actor,
  site: SiteRow,
  input: { issueIdOrKey: string; public?: boolean; internal?: boolean; start: number; limit: number },
): Promise<{ viewer: DeskViewer; comments: CommentRow[] }> {
  const viewer = await resolveDeskViewer(services.db, actor, site);
  const request = await getVisibleRequest(services.db, viewer, input.issueIdOrKey);
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
  services: Pick<AppServices, 'db'>,
  actor: Actor,
  site: SiteRow,
  input: { issueIdOrKey: string; commentId: number },
): Promise<CommentRow> {
  const viewer = await resolveDeskViewer(services.db, actor, site);
  const request = await getVisibleRequest(services.db, viewer, input.issueIdOrKey);
  const comment = await findComment(services.db, request.id, input.commentId);
  if (!comment || (!comment.isPublic && !canSeeInternalComments(viewer))) {
    throw new AppError(
      'servicedesk.comment_not_found',
      `No comment ${input.commentId} on ${request.issueKey}.`,
    );
  }
  return comment;
}
