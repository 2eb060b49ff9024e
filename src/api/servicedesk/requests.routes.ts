import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { createRequest } from '#src/domain/servicedesk/create-request.ts';
import { getRequest } from '#src/domain/servicedesk/get-request.ts';
import { listRequests } from '#src/domain/servicedesk/list-requests.ts';
import { listRequestStatusHistory } from '#src/domain/servicedesk/status-history.ts';
import { listRequestTransitions, transitionRequest } from '#src/domain/servicedesk/transition-request.ts';
import type { AppEnv } from '#src/web/http.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, jsonBody, ZJsmError } from '../pagination.ts';
import { paged, presentStatusEntry, presentTransition } from './jsm.presenters.ts';
import {
  jsonContent,
  pagedSchema,
  ZCustomerRequest,
  ZPageQuery,
  ZRequestParams,
  ZSiteParam,
  ZStatus,
  ZTransition,
} from './jsm.schemas.ts';
import { presentRequests } from './request.presenter.ts';
import { requestCommentRoutes } from './request-comments.routes.ts';
import { requestParticipantRoutes } from './request-participants.routes.ts';

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
  .route('/', requestCommentRoutes)
  .route('/', requestParticipantRoutes)
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
