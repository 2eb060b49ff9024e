import type { FeedbackRow } from '#src/db/queries/servicedesk/request-feedback.queries.ts';
import { type ApprovalView, listRequestApprovals } from '#src/domain/servicedesk/approvals.ts';
import {
  attachFilesToRequest,
  listAttachments,
  type UploadedFile,
  uploadTemporaryFiles,
} from '#src/domain/servicedesk/attachments.ts';
import { getRequest } from '#src/domain/servicedesk/get-request.ts';
import { getRequestFeedback } from '#src/domain/servicedesk/request-feedback.ts';
import type { getRequestSla } from '#src/domain/servicedesk/sla.ts';
import type { DeskTenant, UseCaseContext } from '#src/domain/use-case.ts';
import { isAppError } from '#src/shared/errors.ts';
import { toUploadedFiles } from '#src/web/uploaded-files.ts';
import type { PortalContext } from './portal-context.ts';

/**
 * @fileoverview What the portal and the agent queue show of a request besides its comments: attachments,
 * approvals, the SLA (agents) and the satisfaction rating, each through its domain use case.
 */

export type RequestAttachments = Awaited<ReturnType<typeof listAttachments>>['attachments'];
export type RequestSla = Awaited<ReturnType<typeof getRequestSla>>['metrics'];

export interface RequestExtras {
  attachments: RequestAttachments;
  approvals: ApprovalView[];
  feedback: FeedbackRow | null;
}

/** Attachments (customers: public ones), approvals and the rating of a request the caller can see. */
export async function loadRequestExtras(
  ctx: UseCaseContext<DeskTenant>,
  issueKey: string,
): Promise<RequestExtras> {
  const [{ attachments }, { approvals }, feedback] = await Promise.all([
    listAttachments(ctx, { issueIdOrKey: issueKey, start: 0, limit: 100 }),
    listRequestApprovals(ctx, { issueIdOrKey: issueKey, start: 0, limit: 20 }),
    getRequestFeedback(ctx, issueKey).catch((error: unknown) => {
      if (isAppError(error, 'servicedesk.feedback_not_found')) return null;
      throw error;
    }),
  ]);
  return { attachments: attachments.slice(0, 100), approvals: approvals.slice(0, 20), feedback };
}

/** The files of a multipart form's `file` field (an empty file input sends one nameless, empty part). */
export async function filesOfForm(c: PortalContext): Promise<UploadedFile[]> {
  const body = (await c.req.parseBody({ all: true }).catch(() => ({}))) as Record<string, unknown>;
  const files = await toUploadedFiles(body.file);
  return files.filter((file) => file.name !== '' && file.size > 0);
}

/**
 * Uploads the files and attaches them to the request in one go (the JSM two steps: temporary files of the
 * request's desk, then attached by the same person).
 * @throws {AppError} from `uploadTemporaryFiles` and `attachFilesToRequest` (too large, type not allowed, …)
 */
export async function attachFiles(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueKey: string; files: UploadedFile[]; isPublic: boolean },
): Promise<void> {
  const { request } = await getRequest(ctx, input.issueKey);
  const uploaded = await uploadTemporaryFiles(ctx, {
    serviceDeskId: String(request.serviceDeskId),
    files: input.files,
  });
  await attachFilesToRequest(ctx, {
    issueIdOrKey: input.issueKey,
    temporaryIds: uploaded.map((u) => u.temporaryId),
    isPublic: input.isPublic,
  });
}
