import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import {
  attachFilesToRequest,
  listAttachments,
  readAttachment,
  uploadTemporaryFiles,
} from '#src/domain/servicedesk/attachments.ts';
import { loadPeople } from '#src/domain/servicedesk/people.ts';
import { AppError } from '#src/shared/errors.ts';
import { type AppEnv, createRouter } from '#src/web/http.ts';
import { toUploadedFiles } from '#src/web/uploaded-files.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, jsonBody, ZJsmError } from '../pagination.ts';
import { presentAttachment, ZAttachment } from './attachment.schemas.ts';
import { paged, presentComment, siteBase } from './jsm.presenters.ts';
import {
  jsonContent,
  pagedSchema,
  ZComment,
  ZDeskParams,
  ZPageQuery,
  ZRequestParams,
} from './jsm.schemas.ts';

const TAGS = ['JSM: attachments'];
const BASE = '/sites/{site}/rest/servicedeskapi';

const ZFilePart = z.union([z.instanceof(File), z.array(z.instanceof(File))]).openapi({
  type: 'string',
  format: 'binary',
  description: 'One or more files (repeat the `file` part)',
});

const uploadRoute = createRoute({
  method: 'post',
  path: `${BASE}/servicedesk/{serviceDeskId}/attachTemporaryFile`,
  tags: TAGS,
  summary: 'Upload temporary attachments',
  description:
    'Multipart `file` parts, each at most ATTACHMENT_MAX_BYTES (default 10 MiB; 413 above it) of an allowed type (PDF, office documents, images other than SVG, plain text, CSV, JSON, ZIP, mail; 415 otherwise). Returns ids to attach with `POST request/{issueIdOrKey}/attachment` by the same person.',
  security: AUTHENTICATED,
  request: {
    params: ZDeskParams,
    body: {
      required: true,
      content: { 'multipart/form-data': { schema: z.object({ file: ZFilePart }) } },
    },
  },
  responses: {
    201: jsonContent(
      z
        .object({
          temporaryAttachments: z.array(
            z.object({ temporaryAttachmentId: z.string(), fileName: z.string() }),
          ),
        })
        .openapi('TemporaryAttachmentsDTO'),
      'The temporary attachments',
    ),
    ...errorResponses(ZJsmError, [400, 401, 403, 404, 413, 415]),
  },
});

const attachRoute = createRoute({
  method: 'post',
  path: `${BASE}/request/{issueIdOrKey}/attachment`,
  tags: TAGS,
  summary: 'Attach temporary files to a request',
  description:
    'Attaches the caller’s temporary uploads, optionally with a comment. `public: false` (agents only) keeps them internal. Unknown ids: 400, nothing attached.',
  security: AUTHENTICATED,
  request: {
    params: ZRequestParams,
    body: jsonBody(
      z
        .object({
          temporaryAttachmentIds: z.array(z.string().min(1).max(64)).min(1).max(60),
          public: z.boolean().default(true),
          additionalComment: z.object({ body: z.string().trim().min(1).max(32_000) }).optional(),
        })
        .openapi('AttachmentCreateDTO'),
    ),
  },
  responses: {
    201: jsonContent(
      z
        .object({
          comment: ZComment.optional(),
          attachments: pagedSchema(ZAttachment, 'PagedAttachmentDTO'),
        })
        .openapi('AttachmentCreateResultDTO'),
      'The attachments (and comment)',
    ),
    ...errorResponses(ZJsmError, [400, 401, 403, 404, 415]),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}/attachment`,
  tags: TAGS,
  summary: 'List the attachments of a request',
  description: 'Oldest first; customers see public attachments only.',
  security: AUTHENTICATED,
  request: { params: ZRequestParams, query: ZPageQuery },
  responses: {
    200: jsonContent(pagedSchema(ZAttachment, 'PagedAttachmentDTO'), 'A page of attachments'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const ZAttachmentParams = ZRequestParams.extend({
  attachmentId: z
    .string()
    .regex(/^\d{1,9}$/)
    .openapi({ param: { name: 'attachmentId', in: 'path' }, description: 'Attachment id' }),
});

const binary = {
  description: 'The file',
  content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
};

const contentRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}/attachment/{attachmentId}`,
  tags: TAGS,
  summary: 'Download an attachment',
  description:
    'The file, as a download with its media type. Internal attachments are not found for customers.',
  security: AUTHENTICATED,
  request: { params: ZAttachmentParams },
  responses: { 200: binary, ...errorResponses(ZJsmError, [401, 404]) },
});

const thumbnailRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}/attachment/{attachmentId}/thumbnail`,
  tags: TAGS,
  summary: 'Get the thumbnail of an image attachment',
  description: 'Images only (the image itself; no resizing); other files have no thumbnail (404).',
  security: AUTHENTICATED,
  request: { params: ZAttachmentParams },
  responses: { 200: binary, ...errorResponses(ZJsmError, [401, 404]) },
});

function download(
  body: Buffer,
  attachment: { filename: string; mimeType: string },
  inline: boolean,
): Response {
  const name = encodeURIComponent(attachment.filename);
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'content-type': attachment.mimeType,
      'content-length': String(body.length),
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${name}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
}

/** The attachment the path names, with its file, if the caller may see its request (content and thumbnail). */
async function readAttachmentOfPath(
  c: Context<
    AppEnv,
    string,
    { out: { param: { site: string; issueIdOrKey: string; attachmentId: string } } }
  >,
) {
  const { site: siteName, issueIdOrKey, attachmentId } = c.req.valid('param');
  const site = await getSiteByName(c.get('services').db, siteName);
  return readAttachment(useCaseContext(c, { site }), { issueIdOrKey, attachmentId: Number(attachmentId) });
}

export const attachmentRoutes = createRouter()
  .openapi(uploadRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const uploaded = await uploadTemporaryFiles(useCaseContext(c, { site }), {
      serviceDeskId,
      files: await toUploadedFiles(c.req.valid('form').file),
    });
    return c.json(
      {
        temporaryAttachments: uploaded.map((u) => ({
          temporaryAttachmentId: u.temporaryId,
          fileName: u.filename,
        })),
      },
      201,
    );
  })
  .openapi(attachRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const body = c.req.valid('json');
    const { viewer, request, comment, attachments } = await attachFilesToRequest(
      useCaseContext(c, { site }),
      {
        issueIdOrKey,
        temporaryIds: body.temporaryAttachmentIds,
        isPublic: body.public,
        comment: body.additionalComment?.body,
      },
    );
    const people = await loadPeople(services.db, viewer, [
      ...attachments.map((a) => a.authorId),
      comment?.authorId ?? null,
    ]);
    const base = siteBase(c, site);
    const page = { start: 0, limit: Math.max(attachments.length, 1) };
    return c.json(
      {
        ...(comment ? { comment: presentComment(base, request, comment, people) } : {}),
        attachments: paged(c, site, attachments, page, (a) => presentAttachment(base, request.id, a, people)),
      },
      201,
    );
  })
  .openapi(listRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const page = c.req.valid('query');
    const { viewer, request, attachments } = await listAttachments(useCaseContext(c, { site }), {
      issueIdOrKey,
      ...page,
    });
    const people = await loadPeople(
      services.db,
      viewer,
      attachments.map((a) => a.authorId),
    );
    const base = siteBase(c, site);
    return c.json(
      paged(c, site, attachments, page, (a) => presentAttachment(base, request.id, a, people)),
      200,
    );
  })
  .openapi(contentRoute, async (c) => {
    const { attachment, content } = await readAttachmentOfPath(c);
    return download(content, attachment, false) as never;
  })
  .openapi(thumbnailRoute, async (c) => {
    const { attachmentId } = c.req.valid('param');
    const { attachment, content } = await readAttachmentOfPath(c);
    if (!attachment.mimeType.startsWith('image/')) {
      throw new AppError('servicedesk.attachment_not_found', `Attachment ${attachmentId} has no thumbnail.`);
    }
    return download(content, attachment, true) as never;
  });
