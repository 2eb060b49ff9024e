import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { addComment } from '#src/domain/servicedesk/add-comment.ts';
import { createRequest } from '#src/domain/servicedesk/create-request.ts';
import { getRequest } from '#src/domain/servicedesk/get-request.ts';
import { getRequestComment, listRequestComments } from '#src/domain/servicedesk/list-comments.ts';
import { listRequests } from '#src/domain/servicedesk/list-requests.ts';
import { loadPeople } from '#src/domain/servicedesk/people.ts';
import {
  addRequestParticipants,
  listRequestParticipants,
  removeRequestParticipants,
} from '#src/domain/servicedesk/request-participants.ts';
import { listRequestStatusHistory } from '#src/domain/servicedesk/status-history.ts';
import { listRequestTransitions, transitionRequest } from '#src/domain/servicedesk/transition-request.ts';
import type { AppEnv } from '#src/web/http.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, jsonBody, ZJsmError } from '../pagination.ts';
import {
  jsonContent,
  paged,
  pagedSchema,
  presentComment,
  presentStatusEntry,
  presentTransition,
  presentUser,
  siteBase,
  ZAccountIds,
  ZComment,
  ZCustomerRequest,
  ZPageQuery,
  ZRequestParams,
  ZSiteParam,
  ZStatus,
  ZTransition,
  ZUserDTO,
} from './jsm.schemas.ts';
import { presentRequests } from './request.presenter.ts';

const TAGS = ['JSM: requests'];
const BASE = '/sites/{site}/rest/servicedeskapi';

const json = jsonContent;

/** A query parameter that may be repeated or comma-separated. */
const ZList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) =>
    value === undefined
      ? []
      : (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).filter(Boolean),
  );

const EXPANDS = [
  'serviceDesk',
  'requestType',
  'participant',
  'sla',
  'status',
  'attachment',
  'action',
  'comment',
  'comment.attachment',
  'comment.renderedBody',
] as const;
const ZExpand = ZList.pipe(z.array(z.enum(EXPANDS))).openapi({
  description: `Comma-separated or repeated: ${EXPANDS.join(', ')}`,
});

const ZRequestCreate = z
  .object({
    serviceDeskId: z.union([z.string().min(1).max(20), z.number().int().positive()]).transform(String),
    requestTypeId: z.union([z.string().regex(/^\d{1,9}$/), z.number().int().positive()]).transform(Number),
    requestFieldValues: z
      .object({
        summary: z.string().trim().min(1).max(255).describe('Summary (required)'),
        description: z.string().max(32_000).optional().describe('Description'),
        organizations: z
          .array(z.union([z.number().int().positive(), z.object({ id: z.union([z.string(), z.number()]) })]))
          .max(50)
          .optional()
          .describe('Customer organizations to share the request with (ids).'),
      })
      .loose(),
    requestParticipants: z.array(z.string().min(1).max(128)).max(100).optional(),
    raiseOnBehalfOf: z.string().min(1).max(128).optional(),
    channel: z.string().max(40).optional(),
    isAdfRequest: z.boolean().optional(),
  })
  .openapi('RequestCreateDTO');

const createRequestRoute = createRoute({
  method: 'post',
  path: `${BASE}/request`,
  tags: TAGS,
  summary: 'Create a customer request',
  description:
    'Raises a request by the caller, or (agents) on behalf of `raiseOnBehalfOf`. The request type must belong to the desk. Participants follow the desk’s customer-sharing rule for customers.',
  security: AUTHENTICATED,
  request: {
    params: z.object({ site: ZSiteParam }),
    body: jsonBody(ZRequestCreate),
  },
  responses: {
    201: json(ZCustomerRequest, 'The new request'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404]),
  },
});

const listRequestsRoute = createRoute({
  method: 'get',
  path: `${BASE}/request`,
  tags: TAGS,
  summary: 'List customer requests',
  description:
    'Requests the caller can see, latest activity first. Customers see requests they reported, take part in, or that are shared with their organizations.',
  security: AUTHENTICATED,
  request: {
    params: z.object({ site: ZSiteParam }),
    query: ZPageQuery.extend({
      searchTerm: z.string().max(200).optional().openapi({ description: 'Summary or key fragment' }),
      requestOwnership: ZList.pipe(
        z.array(
          z.enum([
            'OWNED_REQUESTS',
            'PARTICIPATED_REQUESTS',
            'ORGANIZATION',
            'ALL_ORGANIZATIONS',
            'APPROVER',
            'ALL_REQUESTS',
          ]),
        ),
      ).openapi({
        description:
          'OWNED_REQUESTS, PARTICIPATED_REQUESTS, ORGANIZATION, ALL_ORGANIZATIONS, APPROVER, ALL_REQUESTS',
      }),
      requestStatus: z.enum(['OPEN_REQUESTS', 'CLOSED_REQUESTS', 'ALL_REQUESTS']).optional(),
      organizationId: z.coerce.number().int().positive().optional(),
      serviceDeskId: z.coerce.number().int().positive().optional(),
      requestTypeId: z.coerce.number().int().positive().optional(),
      expand: ZExpand,
    }),
  },
  responses: {
    200: json(pagedSchema(ZCustomerRequest, 'PagedCustomerRequestDTO'), 'A page of requests'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const getRequestRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}`,
  tags: TAGS,
  summary: 'Get a customer request',
  description:
    'A request the caller can see (else 404), with `expand` = participant, status, comment, serviceDesk, requestType.',
  security: AUTHENTICATED,
  request: { params: ZRequestParams, query: z.object({ expand: ZExpand }) },
  responses: { 200: json(ZCustomerRequest, 'The request'), ...errorResponses(ZJsmError, [400, 401, 404]) },
});

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

const listParticipantsRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}/participant`,
  tags: TAGS,
  summary: 'List participants of a request',
  description: 'People the request is shared with.',
  security: AUTHENTICATED,
  request: { params: ZRequestParams, query: ZPageQuery },
  responses: {
    200: json(pagedSchema(ZUserDTO, 'PagedParticipantDTO'), 'A page of participants'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const addParticipantsRoute = createRoute({
  method: 'post',
  path: `${BASE}/request/{issueIdOrKey}/participant`,
  tags: TAGS,
  summary: 'Add participants to a request',
  description:
    'Agents may add anyone on the site; customers only within the desk’s customer-sharing rule (else 400, nothing written).',
  security: AUTHENTICATED,
  request: {
    params: ZRequestParams,
    body: jsonBody(ZAccountIds),
  },
  responses: {
    200: json(pagedSchema(ZUserDTO, 'PagedParticipantDTO'), 'The participants now'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404]),
  },
});

const removeParticipantsRoute = createRoute({
  method: 'delete',
  path: `${BASE}/request/{issueIdOrKey}/participant`,
  tags: TAGS,
  summary: 'Remove participants from a request',
  description: 'Agents and the reporter may remove anyone; other participants only themselves.',
  security: AUTHENTICATED,
  request: {
    params: ZRequestParams,
    body: jsonBody(ZAccountIds),
  },
  responses: {
    200: json(pagedSchema(ZUserDTO, 'PagedParticipantDTO'), 'The participants now'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404]),
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}/status`,
  tags: TAGS,
  summary: 'Get the status of a request',
  description: 'Every status the request entered, newest first (customer-visible names).',
  security: AUTHENTICATED,
  request: { params: ZRequestParams, query: ZPageQuery },
  responses: {
    200: json(pagedSchema(ZStatus, 'PagedCustomerRequestStatusDTO'), 'Statuses, newest first'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const listTransitionsRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}/transition`,
  tags: TAGS,
  summary: 'List transitions of a request',
  description: 'Transitions the caller may take now (customers: resolve, reopen).',
  security: AUTHENTICATED,
  request: { params: ZRequestParams, query: ZPageQuery },
  responses: {
    200: json(pagedSchema(ZTransition, 'PagedCustomerTransitionDTO'), 'Available transitions'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const performTransitionRoute = createRoute({
  method: 'post',
  path: `${BASE}/request/{issueIdOrKey}/transition`,
  tags: TAGS,
  summary: 'Transition a request',
  description:
    'Moves the request along the workflow; a transition not open from the current status answers 400.',
  security: AUTHENTICATED,
  request: {
    params: ZRequestParams,
    body: jsonBody(
      z
        .object({
          id: z.string().min(1).max(20).describe('Transition id'),
          additionalComment: z.object({ body: z.string().trim().min(1).max(32_000) }).optional(),
        })
        .openapi('CustomerTransitionExecutionDTO'),
    ),
  },
  responses: { 204: { description: 'Transitioned' }, ...errorResponses(ZJsmError, [400, 401, 404]) },
});

async function site(c: Context<AppEnv>, name: string): Promise<SiteRow> {
  return getSiteByName(c.get('services').db, name);
}

/** A page of a request's participants as JSM renders it (the list route, and the reply of add/remove). */
async function participantsPage(
  c: Context<AppEnv>,
  siteRow: SiteRow,
  issueIdOrKey: string,
  page: { start: number; limit: number },
) {
  const people = await listRequestParticipants(useCaseContext(c, { site: siteRow }), {
    issueIdOrKey,
    ...page,
  });
  const base = siteBase(c, siteRow);
  return paged(c, siteRow, people, page, (p) => presentUser(base, p));
}

function organizationIdsOf(values: Array<number | { id: string | number }> | undefined): number[] {
  return (values ?? [])
    .map((v) => Number(typeof v === 'number' ? v : v.id))
    .filter((n) => Number.isInteger(n) && n > 0);
}

export const requestRoutes = createRouter()
  .openapi(createRequestRoute, async (c) => {
    const siteRow = await site(c, c.req.valid('param').site);
    const body = c.req.valid('json');
    const { viewer, request } = await createRequest(useCaseContext(c, { site: siteRow }), {
      serviceDeskId: body.serviceDeskId,
      requestTypeId: body.requestTypeId,
      summary: body.requestFieldValues.summary,
      description: body.requestFieldValues.description,
      raiseOnBehalfOf: body.raiseOnBehalfOf,
      requestParticipants: body.requestParticipants,
      organizationIds: organizationIdsOf(body.requestFieldValues.organizations),
    });
    const [presented] = await presentRequests(c, siteRow, viewer, [request], []);
    return c.json(presented!, 201);
  })
  .openapi(listRequestsRoute, async (c) => {
    const { expand, requestOwnership, ...query } = c.req.valid('query');
    // The site and a portal-only caller on it in one statement (`{ siteName }`), as the detail does.
    const { viewer, requests, reporters } = await listRequests(
      useCaseContext(c, { siteName: c.req.valid('param').site }),
      { ...query, requestOwnership },
    );
    const siteRow = viewer.site;
    const page = { start: query.start, limit: query.limit };
    const presented = await presentRequests(
      c,
      siteRow,
      viewer,
      requests.slice(0, query.limit),
      expand,
      reporters,
    );
    const byId = new Map(presented.map((r) => [r.issueId, r]));
    return c.json(
      paged(c, siteRow, requests, page, (r) => byId.get(String(r.id))!),
      200,
    );
  })
  .openapi(getRequestRoute, async (c) => {
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    // The site and a portal-only caller on it in one statement, as the list does.
    const { viewer, request } = await getRequest(useCaseContext(c, { siteName }), issueIdOrKey);
    const [presented] = await presentRequests(c, viewer.site, viewer, [request], c.req.valid('query').expand);
    return c.json(presented!, 200);
  })
  .openapi(listCommentsRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const siteRow = await site(c, siteName);
    const query = c.req.valid('query');
    const { viewer, comments } = await listRequestComments(useCaseContext(c, { site: siteRow }), {
      issueIdOrKey,
      public: query.public === undefined ? undefined : query.public === 'true',
      internal: query.internal === undefined ? undefined : query.internal === 'true',
      start: query.start,
      limit: query.limit,
    });
    const { request } = await getRequest(useCaseContext(c, { site: siteRow }), issueIdOrKey);
    const people = await loadPeople(
      services.db,
      viewer,
      comments.map((cm) => cm.authorId),
    );
    const base = siteBase(c, siteRow);
    const renderedBody = (query.expand ?? '').split(',').includes('renderedBody');
    return c.json(
      paged(c, siteRow, comments, query, (cm) => presentComment(base, request, cm, people, { renderedBody })),
      200,
    );
  })
  .openapi(addCommentRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const siteRow = await site(c, siteName);
    const body = c.req.valid('json');
    const comment = await addComment(useCaseContext(c, { site: siteRow }), {
      issueIdOrKey,
      body: body.body,
      isPublic: body.public,
    });
    const { viewer, request } = await getRequest(useCaseContext(c, { site: siteRow }), issueIdOrKey);
    const people = await loadPeople(services.db, viewer, [comment.authorId]);
    return c.json(presentComment(siteBase(c, siteRow), request, comment, people), 201);
  })
  .openapi(getCommentRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey, commentId } = c.req.valid('param');
    const siteRow = await site(c, siteName);
    const comment = await getRequestComment(useCaseContext(c, { site: siteRow }), {
      issueIdOrKey,
      commentId: Number(commentId),
    });
    const { viewer, request } = await getRequest(useCaseContext(c, { site: siteRow }), issueIdOrKey);
    const people = await loadPeople(services.db, viewer, [comment.authorId]);
    return c.json(presentComment(siteBase(c, siteRow), request, comment, people), 200);
  })
  .openapi(listParticipantsRoute, async (c) => {
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const siteRow = await site(c, siteName);
    const page = c.req.valid('query');
    return c.json(await participantsPage(c, siteRow, issueIdOrKey, page), 200);
  })
  .openapi(addParticipantsRoute, async (c) => {
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const siteRow = await site(c, siteName);
    await addRequestParticipants(useCaseContext(c, { site: siteRow }), {
      issueIdOrKey,
      accountIds: c.req.valid('json').accountIds,
    });
    return c.json(await participantsPage(c, siteRow, issueIdOrKey, { start: 0, limit: 50 }), 200);
  })
  .openapi(removeParticipantsRoute, async (c) => {
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const siteRow = await site(c, siteName);
    await removeRequestParticipants(useCaseContext(c, { site: siteRow }), {
      issueIdOrKey,
      accountIds: c.req.valid('json').accountIds,
    });
    return c.json(await participantsPage(c, siteRow, issueIdOrKey, { start: 0, limit: 50 }), 200);
  })
  .openapi(statusRoute, async (c) => {
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const siteRow = await site(c, siteName);
    const page = c.req.valid('query');
    const history = await listRequestStatusHistory(useCaseContext(c, { site: siteRow }), {
      issueIdOrKey,
      ...page,
    });
    return c.json(paged(c, siteRow, history, page, presentStatusEntry), 200);
  })
  .openapi(listTransitionsRoute, async (c) => {
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const siteRow = await site(c, siteName);
    const page = c.req.valid('query');
    const transitions = await listRequestTransitions(useCaseContext(c, { site: siteRow }), issueIdOrKey);
    return c.json(paged(c, siteRow, transitions.slice(page.start), page, presentTransition), 200);
  })
  .openapi(performTransitionRoute, async (c) => {
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const siteRow = await site(c, siteName);
    const body = c.req.valid('json');
    await transitionRequest(useCaseContext(c, { site: siteRow }), {
      issueIdOrKey,
      transitionId: body.id,
      comment: body.additionalComment?.body,
    });
    return c.body(null, 204);
  });
