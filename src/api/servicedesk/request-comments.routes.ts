import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { CommentRow } from '#src/db/queries/servicedesk/request-comments.queries.ts';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { addComment } from '#src/domain/servicedesk/add-comment.ts';
import { getRequest } from '#src/domain/servicedesk/get-request.ts';
import { getRequestComment, listRequestComments } from '#src/domain/servicedesk/list-comments.ts';
import { loadPeople } from '#src/domain/servicedesk/people.ts';
import { type AppEnv, createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, jsonBody, ZJsmError } from '../pagination.ts';
import { paged, presentComment, siteBase } from './jsm.presenters.ts';
import { jsonContent as json, pagedSchema, ZComment, ZPageQuery, ZRequestParams } from './jsm.schemas.ts';

/** @fileoverview The comments of a customer request (JSM `/request/{issueIdOrKey}/comment…`). */

const TAGS = ['JSM: requests'];
const BASE = '/sites/{site}/rest/servicedeskapi';

const listCommentsRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}/comment`,
  tags: TAGS,
  summary: 'List comments of a request',
  description: '`public` and `internal` (both default true) filter; customers never get internal comments.',
  security: AUTHENTICATED,
  request: {
    params: ZRequestParams,
    query: ZPageQuery.extend({
      public: z.enum(['true', 'false']).optional(),
      internal: z.enum(['true', 'false']).optional(),
      expand: z
        .string()
        .max(200)
        .optional()
        .openapi({ description: '`renderedBody`: add the body as sanitized HTML' }),
    }),
  },
  responses: {
    200: json(pagedSchema(ZComment, 'PagedCommentDTO'), 'A page of comments'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const addCommentRoute = createRoute({
  method: 'post',
  path: `${BASE}/request/{issueIdOrKey}/comment`,
  tags: TAGS,
  summary: 'Comment on a request',
  description:
    'A public reply, or (agents) an internal note with `public: false`. Invisible requests answer 404.',
  security: AUTHENTICATED,
  request: {
    params: ZRequestParams,
    body: jsonBody(
      z
        .object({
          body: z.string().trim().min(1).max(32_000).describe('Comment text'),
          public: z.boolean().default(true).describe('false = internal note (agents only)'),
        })
        .openapi('CommentCreateDTO'),
    ),
  },
  responses: { 201: json(ZComment, 'The new comment'), ...errorResponses(ZJsmError, [400, 401, 403, 404]) },
});

const getCommentRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}/comment/{commentId}`,
  tags: TAGS,
  summary: 'Get a comment',
  description: 'One comment of a visible request; internal comments are not found for customers.',
  security: AUTHENTICATED,
  request: {
    params: ZRequestParams.extend({
      commentId: z
        .string()
        .regex(/^\d{1,9}$/)
        .openapi({ param: { name: 'commentId', in: 'path' } }),
    }),
  },
  responses: { 200: json(ZComment, 'The comment'), ...errorResponses(ZJsmError, [401, 404]) },
});

/** One comment as JSM renders it, with its author as the caller may see them (the add and get replies). */
async function presentOneComment(
  c: Context<AppEnv>,
  site: SiteRow,
  issueIdOrKey: string,
  comment: CommentRow,
) {
  const { viewer, request } = await getRequest(useCaseContext(c, { site }), issueIdOrKey);
  const people = await loadPeople(c.get('services').db, viewer, [comment.authorId]);
  return presentComment(siteBase(c, site), request, comment, people);
}

export const requestCommentRoutes = createRouter()
  .openapi(listCommentsRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const query = c.req.valid('query');
    const { viewer, comments } = await listRequestComments(useCaseContext(c, { site }), {
      issueIdOrKey,
      public: query.public === undefined ? undefined : query.public === 'true',
      internal: query.internal === undefined ? undefined : query.internal === 'true',
      start: query.start,
      limit: query.limit,
    });
    const { request } = await getRequest(useCaseContext(c, { site }), issueIdOrKey);
    const people = await loadPeople(
      services.db,
      viewer,
      comments.map((cm) => cm.authorId),
    );
    const base = siteBase(c, site);
    const renderedBody = (query.expand ?? '').split(',').includes('renderedBody');
    return c.json(
      paged(c, site, comments, query, (cm) => presentComment(base, request, cm, people, { renderedBody })),
      200,
    );
  })
  .openapi(addCommentRoute, async (c) => {
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const site = await getSiteByName(c.get('services').db, siteName);
    const body = c.req.valid('json');
    const comment = await addComment(useCaseContext(c, { site }), {
      issueIdOrKey,
      body: body.body,
      isPublic: body.public,
    });
    return c.json(await presentOneComment(c, site, issueIdOrKey, comment), 201);
  })
  .openapi(getCommentRoute, async (c) => {
    const { site: siteName, issueIdOrKey, commentId } = c.req.valid('param');
    const site = await getSiteByName(c.get('services').db, siteName);
    const comment = await getRequestComment(useCaseContext(c, { site }), {
      issueIdOrKey,
      commentId: Number(commentId),
    });
    return c.json(await presentOneComment(c, site, issueIdOrKey, comment), 200);
  });
