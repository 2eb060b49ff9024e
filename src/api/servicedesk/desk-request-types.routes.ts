import { createRoute, z } from '@hono/zod-openapi';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import {
  getDeskRequestType,
  listDeskRequestTypeGroups,
  listDeskRequestTypes,
} from '#src/domain/servicedesk/list-request-types.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, ZJsmError } from '../pagination.ts';
import { paged, presentRequestType, siteBase } from './jsm.presenters.ts';
import { jsonContent as json, pagedSchema, ZDeskParams, ZPageQuery, ZRequestType } from './jsm.schemas.ts';

/** @fileoverview The request types and request type groups of a service desk (JSM `/servicedesk/{serviceDeskId}/requesttype…`). */

const TAGS = ['JSM: service desks'];
const BASE = '/sites/{site}/rest/servicedeskapi';

const ZRequestTypeParams = ZDeskParams.extend({
  requestTypeId: z
    .string()
    .regex(/^\d{1,9}$/)
    .openapi({ param: { name: 'requestTypeId', in: 'path' }, description: 'Request type id' }),
});

const listRequestTypesRoute = createRoute({
  method: 'get',
  path: `${BASE}/servicedesk/{serviceDeskId}/requesttype`,
  tags: TAGS,
  summary: 'List request types of a service desk',
  description: 'Restricted types are returned to agents only; `searchQuery` hides hidden types.',
  security: AUTHENTICATED,
  request: {
    params: ZDeskParams,
    query: ZPageQuery.extend({
      groupId: z.coerce
        .number()
        .int()
        .positive()
        .optional()
        .openapi({ description: 'Only types of this group' }),
      searchQuery: z.string().max(200).optional().openapi({ description: 'Name fragment' }),
    }),
  },
  responses: {
    200: json(pagedSchema(ZRequestType, 'PagedRequestTypeDTO'), 'A page of request types'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const getRequestTypeRoute = createRoute({
  method: 'get',
  path: `${BASE}/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}`,
  tags: TAGS,
  summary: 'Get a request type',
  description: 'A request type of this desk; a type of another desk is not found.',
  security: AUTHENTICATED,
  request: { params: ZRequestTypeParams },
  responses: { 200: json(ZRequestType, 'The request type'), ...errorResponses(ZJsmError, [401, 404]) },
});

const ZRequestTypeGroup = z.object({ id: z.string(), name: z.string() }).openapi('RequestTypeGroupDTO');

const listRequestTypeGroupsRoute = createRoute({
  method: 'get',
  path: `${BASE}/servicedesk/{serviceDeskId}/requesttypegroup`,
  tags: TAGS,
  summary: 'List request type groups of a service desk',
  description: 'Portal sections of the desk, in the order the admins set.',
  security: AUTHENTICATED,
  request: { params: ZDeskParams, query: ZPageQuery },
  responses: {
    200: json(pagedSchema(ZRequestTypeGroup, 'PagedRequestTypeGroupDTO'), 'A page of groups'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

export const deskRequestTypeRoutes = createRouter()
  .openapi(listRequestTypesRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const { groupId, searchQuery, ...page } = c.req.valid('query');
    const { types: rows } = await listDeskRequestTypes(useCaseContext(c, { site }), {
      serviceDeskId,
      groupId,
      searchQuery,
      start: page.start,
      limit: page.limit + 1,
    });
    const base = siteBase(c, site);
    return c.json(
      paged(c, site, rows, page, (t) => presentRequestType(base, t)),
      200,
    );
  })
  .openapi(getRequestTypeRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId, requestTypeId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const { type } = await getDeskRequestType(useCaseContext(c, { site }), {
      serviceDeskId,
      requestTypeId: Number(requestTypeId),
    });
    return c.json(presentRequestType(siteBase(c, site), type), 200);
  })
  .openapi(listRequestTypeGroupsRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const page = c.req.valid('query');
    const groups = await listDeskRequestTypeGroups(useCaseContext(c, { site }), { serviceDeskId });
    return c.json(
      paged(c, site, groups.slice(page.start, page.start + page.limit + 1), page, (g) => ({
        id: String(g.id),
        name: g.name,
      })),
      200,
    );
  });
