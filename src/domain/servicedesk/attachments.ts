import { randomBytes } from 'node:crypto';
import {
  type AttachmentRow,
  attachToRequest,
  findRequestAttachment,
  insertAttachment,
  listRequestAttachments,
  lockTemporaryAttachments,
} from '#src/db/queries/servicedesk/request-attachments.queries.ts';
import { type CommentRow, insertComment } from '#src/db/queries/servicedesk/request-comments.queries.ts';
import { type RequestRow, touchRequest } from '#src/db/queries/servicedesk/requests.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { AppServices } from '../services.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import {
  assertAcceptable,
  attachmentsDir,
  baseType,
  readStoredFile,
  removeStoredFile,
  storeFile,
} from './attachment-files.ts';
import { actingSiteUserId, type DeskViewer, deskViewerOf } from './desk-viewer.ts';
import { getRequest } from './get-request.ts';
import { getServiceDeskFor } from './get-service-desk.ts';
import { canSeeInternalComments } from './request-visibility.ts';

export interface UploadedFile {
  name: string;
  type: string;
  size: number;
  content: Uint8Array;
}

/**
 * Stores files as temporary attachments of a desk the caller can reach (a person: an org API key gets 403), to
 * be attached to a request by the same person. Every file is checked before any is written.
 * @throws {AppError} `servicedesk.not_found`, `auth.forbidden`, `servicedesk.attachment_too_large`,
 *   `servicedesk.attachment_type_not_allowed`, `request.invalid_input`
 */
export async function uploadTemporaryFiles(
  ctx: UseCaseContext<DeskTenant>,
  input: { serviceDeskId: string; files: UploadedFile[] },
): Promise<Array<{ temporaryId: string; filename: string }>> {
  const { services } = ctx;
  const viewer = await deskViewerOf(ctx);
  const { site } = viewer;
  const desk = await getServiceDeskFor(services, viewer, input.serviceDeskId);
  if (input.files.length === 0) {
    throw new AppError('request.invalid_input', 'Send at least one file in the `file` part.', {
      details: [{ path: 'file', message: 'required' }],
    });
  }
  for (const file of input.files) assertAcceptable(services.config, file);
  const dir = attachmentsDir(services.config);
  const keys: string[] = [];
  try {
    for (const file of input.files) keys.push(await storeFile(dir, site.orgId, file.content));
    return await services.db.transaction(async (tx) => {
      const authorId = await actingSiteUserId(tx, viewer);
      const out = [];
      for (const [i, file] of input.files.entries()) {
        const temporaryId = `temp${randomBytes(12).toString('hex')}`;
        await insertAttachment(tx, {
          orgId: site.orgId,
          siteId: site.id,
          serviceDeskId: desk.id,
          temporaryId,
          filename: file.name.slice(0, 255) || 'file',
          mimeType: baseType(file.type),
          size: file.size,
          storageKey: keys[i]!,
          authorId,
          createdAt: services.clock.now(),
        });
        out.push({ temporaryId, filename: file.name });
      }
      return out;
    });
  } catch (error) {
    // Nothing was recorded: the files must not linger.
    await Promise.all(keys.map((key) => removeStoredFile(dir, key)));
    throw error;
  }
}

/**
 * Attaches the caller's temporary uploads to a visible request, with an optional comment carrying them. Customers
 * attach publicly only (as with comments); every id must be the caller's own upload on the request's desk.
 * @throws {AppError} `servicedesk.request_not_found`, `auth.forbidden`, `request.invalid_input` (unknown ids)
 */
export async function attachFilesToRequest(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; temporaryIds: string[]; isPublic: boolean; comment?: string },
): Promise<{
  viewer: DeskViewer;
  request: RequestRow;
  comment: CommentRow | null;
  attachments: AttachmentRow[];
}> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  if (!input.isPublic && !canSeeInternalComments(viewer)) {
    throw new AppError('auth.forbidden', 'Customers can only attach files publicly.');
  }
  return services.db.transaction(async (tx) => {
    const authorId = await actingSiteUserId(tx, viewer);
    const ids = [...new Set(input.temporaryIds)];
    const found = await lockTemporaryAttachments(tx, {
      serviceDeskId: request.serviceDeskId,
      authorId,
      temporaryIds: ids,
    });
    const missing = ids.filter((id) => !found.some((row) => row.temporaryId === id));
    if (missing.length > 0) {
      throw new AppError('request.invalid_input', `Unknown temporary attachments: ${missing.join(', ')}.`, {
        details: missing.map(() => ({ path: 'temporaryAttachmentIds', message: 'unknown' })),
        data: { missing },
      });
    }
    const now = services.clock.now();
    const comment = input.comment
      ? await insertComment(tx, {
          orgId: request.orgId,
          requestId: request.id,
          authorId,
          body: input.comment,
          isPublic: input.isPublic,
          createdAt: now,
        })
      : null;
    const attachments = await attachToRequest(
      tx,
      found.map((row) => row.id),
      { requestId: request.id, commentId: comment?.id ?? null, isPublic: input.isPublic },
    );
    await touchRequest(tx, request.id, now);
    return { viewer, request, comment, attachments: attachments.sort((a, b) => a.id - b.id) };
  });
}

/**
 * Attachments of a visible request (`limit + 1`); customers get the public ones only.
 * @throws {AppError} `servicedesk.request_not_found`
 */
export async function listAttachments(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; start: number; limit: number },
): Promise<{ viewer: DeskViewer; request: RequestRow; attachments: AttachmentRow[] }> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  return { viewer, request, attachments: await attachmentsOf(services.db, viewer, request, input) };
}

/** Attachments of a request already known visible to the viewer (`expand=attachment`); `limit + 1` rows. */
export async function attachmentsOf(
  db: AppServices['db'],
  viewer: DeskViewer,
  request: RequestRow,
  page: { start: number; limit: number },
): Promise<AttachmentRow[]> {
  return listRequestAttachments(db, request.id, {
    publicOnly: !canSeeInternalComments(viewer),
    start: page.start,
    limit: page.limit + 1,
  });
}

/**
 * One attachment of a visible request with its content; an internal one is not found for customers.
 * @throws {AppError} `servicedesk.request_not_found`, `servicedesk.attachment_not_found`
 */
export async function readAttachment(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; attachmentId: number },
): Promise<{ attachment: AttachmentRow; content: Buffer }> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  const attachment = await findRequestAttachment(services.db, request.id, input.attachmentId);
  if (!attachment || (!attachment.isPublic && !canSeeInternalComments(viewer))) {
    throw new AppError('servicedesk.attachment_not_found', `No attachment ${input.attachmentId}.`);
  }
  const content = await readStoredFile(attachmentsDir(services.config), attachment.storageKey).catch(() => {
    throw new AppError(
      'servicedesk.attachment_not_found',
      `The file of attachment ${attachment.id} is gone.`,
    );
  });
  return { attachment, content };
}
