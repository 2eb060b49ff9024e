import {
  deleteFeedback,
  type FeedbackRow,
  findFeedback,
  upsertFeedback,
} from '#src/db/queries/servicedesk/request-feedback.queries.ts';
import { CLOSED_STATUSES } from '#src/db/queries/servicedesk/requests.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { getRequest } from './get-request.ts';

/**
 * The satisfaction rating of a visible request.
 * @throws {AppError} `servicedesk.request_not_found`, `servicedesk.feedback_not_found`
 */
export async function getRequestFeedback(
  ctx: UseCaseContext<DeskTenant>,
  issueIdOrKey: string,
): Promise<FeedbackRow> {
  const { services } = ctx;
  const { request } = await getRequest(ctx, issueIdOrKey);
  const feedback = await findFeedback(services.db, request.id);
  if (!feedback) throw new AppError('servicedesk.feedback_not_found', `No feedback on ${request.issueKey}.`);
  return feedback;
}

/**
 * Rates a resolved request (1–5, optional comment): only its reporter may, as in JSM; a second rating
 * replaces the first.
 * @throws {AppError} `servicedesk.request_not_found`, `servicedesk.feedback_not_allowed` (not the reporter),
 *   `request.invalid_input` (the request is not resolved)
 */
export async function giveRequestFeedback(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; rating: number; comment?: string },
): Promise<FeedbackRow> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  if (!viewer.siteUserId || viewer.siteUserId !== request.reporterId) {
    throw new AppError('servicedesk.feedback_not_allowed', 'Only the reporter can rate this request.');
  }
  if (!CLOSED_STATUSES.includes(request.status)) {
    throw new AppError('request.invalid_input', 'Only a resolved request can be rated.', {
      details: [{ path: 'issueIdOrKey', message: 'not resolved' }],
    });
  }
  return upsertFeedback(services.db, {
    requestId: request.id,
    orgId: request.orgId,
    authorId: viewer.siteUserId,
    rating: input.rating,
    comment: input.comment ?? '',
    createdAt: services.clock.now(),
  });
}

/**
 * Withdraws the reporter's rating.
 * @throws {AppError} `servicedesk.request_not_found`, `servicedesk.feedback_not_allowed`,
 *   `servicedesk.feedback_not_found`
 */
export async function deleteRequestFeedback(
  ctx: UseCaseContext<DeskTenant>,
  issueIdOrKey: string,
): Promise<void> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, issueIdOrKey);
  if (!viewer.siteUserId || viewer.siteUserId !== request.reporterId) {
    throw new AppError('servicedesk.feedback_not_allowed', 'Only the reporter can withdraw the rating.');
  }
  if (!(await deleteFeedback(services.db, request.id))) {
    throw new AppError('servicedesk.feedback_not_found', `No feedback on ${request.issueKey}.`);
  }
}
