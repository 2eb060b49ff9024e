import { createRoute, z } from '@hono/zod-openapi';
import type { FeedbackRow } from '#src/db/queries/servicedesk/request-feedback.queries.ts';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import {
  deleteRequestFeedback,
  getRequestFeedback,
  giveRequestFeedback,
} from '#src/domain/servicedesk/request-feedback.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, jsonBody, ZJsmError } from '../pagination.ts';
import { jsonContent, ZRequestParams } from './jsm.schemas.ts';

const TAGS = ['JSM: requests'];
const PATH = '/sites/{site}/rest/servicedeskapi/request/{issueIdOrKey}/feedback';

const ZFeedback = z
  .object({
    type: z.literal('csat'),
    rating: z.number().int().min(1).max(5),
    comment: z.object({ body: z.string() }).optional(),
  })
  .openapi('CSATFeedbackFullDTO');

const ZFeedbackInput = z
  .object({
    type: z.literal('csat').default('csat'),
    rating: z.number().int().min(1).max(5).describe('1 (very unsatisfied) to 5 (very satisfied)'),
    comment: z.object({ body: z.string().trim().max(4000) }).optional(),
  })
  .openapi('CSATFeedbackInputDTO');

function presentFeedback(row: FeedbackRow): z.infer<typeof ZFeedback> {
  return { type: 'csat', rating: row.rating, ...(row.comment ? { comment: { body: row.comment } } : {}) };
}

const getFeedbackRoute = createRoute({
  method: 'get',
  path: PATH,
  tags: TAGS,
  summary: 'Get the feedback of a request',
  description: 'The satisfaction rating the reporter gave; 404 when none was given.',
  security: AUTHENTICATED,
  request: { params: ZRequestParams },
  responses: { 200: jsonContent(ZFeedback, 'The feedback'), ...errorResponses(ZJsmError, [401, 404]) },
});

const postFeedbackRoute = createRoute({
  method: 'post',
  path: PATH,
  tags: TAGS,
  summary: 'Rate a request',
  description:
    'The reporter rates a resolved request from 1 to 5 with an optional comment (a second rating replaces the first). Anyone else: 403; an unresolved request: 400.',
  security: AUTHENTICATED,
  request: {
    params: ZRequestParams,
    body: jsonBody(ZFeedbackInput),
  },
  responses: {
    200: jsonContent(ZFeedback, 'The saved feedback'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404]),
  },
});

const deleteFeedbackRoute = createRoute({
  method: 'delete',
  path: PATH,
  tags: TAGS,
  summary: 'Withdraw the feedback of a request',
  description: 'The reporter removes their rating; 404 when there is none.',
  security: AUTHENTICATED,
  request: { params: ZRequestParams },
  responses: { 204: { description: 'Removed' }, ...errorResponses(ZJsmError, [401, 403, 404]) },
});

export const requestFeedbackRoutes = createRouter()
  .openapi(getFeedbackRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    return c.json(presentFeedback(await getRequestFeedback(useCaseContext(c, { site }), issueIdOrKey)), 200);
  })
  .openapi(postFeedbackRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const body = c.req.valid('json');
    const saved = await giveRequestFeedback(useCaseContext(c, { site }), {
      issueIdOrKey,
      rating: body.rating,
      comment: body.comment?.body,
    });
    return c.json(presentFeedback(saved), 200);
  })
  .openapi(deleteFeedbackRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    await deleteRequestFeedback(useCaseContext(c, { site }), issueIdOrKey);
    return c.body(null, 204);
  });
