import { createRoute, z } from '@hono/zod-openapi';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { addDeskCustomers } from '#src/domain/servicedesk/add-desk-customers.ts';
import {
  listCustomerOrganizations,
  setDeskOrganization,
} from '#src/domain/servicedesk/customer-organizations.ts';
import { getServiceDesk, listServiceDesksFor } from '#src/domain/servicedesk/get-service-desk.ts';
import { getKbArticleFor, searchKbArticlesFor } from '#src/domain/servicedesk/knowledge-base.ts';
import { listDeskCustomers } from '#src/domain/servicedesk/list-desk-customers.ts';
import {
  getDeskRequestType,
  listDeskRequestTypeGroups,
  listDeskRequestTypes,
} from '#src/domain/servicedesk/list-request-types.ts';
import { removeDeskCustomers } from '#src/domain/servicedesk/remove-desk-customers.ts';
import { AppError } from '#src/shared/errors.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, jsonBody, ZJsmError } from '../pagination.ts';
import {
  hasExperimentalOptIn,
  paged,
  pagedSchema,
  presentArticle,
  presentOrganization,
  presentRequestType,
  presentServiceDesk,
  presentUser,
  siteBase,
  ZAccountIds,
  ZArticle,
  ZOrganization,
  ZPageQuery,
  ZRequestType,
  ZServiceDesk,
  ZSiteParam,
  ZUserDTO,
} from './jsm.schemas.ts';
import { kbPageStart, withCursorLinks, ZKbCursorQuery } from './kb-cursor.ts';

const TAGS = ['JSM: service desks'];
const BASE = '/sites/{site}/rest/servicedeskapi';

const ZDeskParams = z.object({
  site: ZSiteParam,
  serviceDeskId: z
    .string()
    .min(1)
    .max(20)
    .openapi({
      param: { name: 'serviceDeskId', in: 'path' },
      description: 'Service desk id, project id or project key',
    }),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const listDesksRoute = createRoute({
  method: 'get',
  path: `${BASE}/servicedesk`,
  tags: TAGS,
  summary: 'List service desks',
  description:
    'Service desks the caller can see: all of the site for agents; open desks and their own desks for customers.',
  security: AUTHENTICATED,
  request: { params: z.object({ site: ZSiteParam }), query: ZPageQuery },
  responses: {
    200: json(pagedSchema(ZServiceDesk, 'PagedServiceDeskDTO'), 'A page of service desks'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const getDeskRoute = createRoute({
  method: 'get',
  path: `${BASE}/servicedesk/{serviceDeskId}`,
  tags: TAGS,
  summary: 'Get a service desk',
  description: 'By id, project id or project key. 404 when missing or not visible to the caller.',
  security: AUTHENTICATED,
  request: { params: ZDeskParams },
  responses: { 200: json(ZServiceDesk, 'The service desk'), ...errorResponses(ZJsmError, [401, 404]) },
});

const listCustomersRoute = createRoute({
  method: 'get',
  path: `${BASE}/servicedesk/{serviceDeskId}/customer`,
  tags: TAGS,
  summary: 'List the customers of a service desk (experimental)',
  description: 'Agents only. Requires `X-ExperimentalApi: opt-in`. `query` filters by name or email.',
  security: AUTHENTICATED,
  request: {
    params: ZDeskParams,
    query: ZPageQuery.extend({
      query: z.string().max(200).optional().openapi({ description: 'Name or email fragment' }),
    }),
    headers: z.object({
      'x-experimentalapi': z.string().optional().openapi({ description: 'Must be `opt-in`.' }),
    }),
  },
  responses: {
    200: json(pagedSchema(ZUserDTO, 'PagedCustomerDTO'), 'A page of customers'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404]),
  },
});

const addCustomersRoute = createRoute({
  method: 'post',
  path: `${BASE}/servicedesk/{serviceDeskId}/customer`,
  tags: TAGS,
  summary: 'Add customers to a service desk',
  description:
    'Agents. Customers already present are fine (204). Unknown ids answer 400 naming them, yet the valid ones are added.',
  security: AUTHENTICATED,
  request: {
    params: ZDeskParams,
    body: jsonBody(ZAccountIds),
  },
  responses: { 204: { description: 'Added' }, ...errorResponses(ZJsmError, [400, 401, 403, 404]) },
});

const removeCustomersRoute = createRoute({
  method: 'delete',
  path: `${BASE}/servicedesk/{serviceDeskId}/customer`,
  tags: TAGS,
  summary: 'Remove customers from a service desk (experimental)',
  description:
    'Agents. Requires `X-ExperimentalApi: opt-in`, and the desk must be restricted to customers added by agents and admins (else 400).',
  security: AUTHENTICATED,
  request: {
    params: ZDeskParams,
    headers: z.object({
      'x-experimentalapi': z.string().optional().openapi({ description: 'Must be `opt-in`.' }),
    }),
    body: jsonBody(ZAccountIds),
  },
  responses: { 204: { description: 'Removed' }, ...errorResponses(ZJsmError, [400, 401, 403, 404]) },
});

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

const ZOrganizationIdBody = z
  .object({ organizationId: z.number().int().positive().describe('Customer organization id') })
  .openapi('OrganizationServiceDeskUpdateDTO');

const listDeskOrganizationsRoute = createRoute({
  method: 'get',
  path: `${BASE}/servicedesk/{serviceDeskId}/organization`,
  tags: TAGS,
  summary: 'List organizations of a service desk',
  description: 'Customer organizations attached to the desk; `accountId` keeps those the user belongs to.',
  security: AUTHENTICATED,
  request: {
    params: ZDeskParams,
    query: ZPageQuery.extend({
      accountId: z.string().max(128).optional().openapi({ description: 'Member filter' }),
    }),
  },
  responses: {
    200: json(pagedSchema(ZOrganization, 'PagedOrganizationDTO'), 'A page of organizations'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const addDeskOrganizationRoute = createRoute({
  method: 'post',
  path: `${BASE}/servicedesk/{serviceDeskId}/organization`,
  tags: TAGS,
  summary: 'Add an organization to a service desk',
  description: 'Agents. Its members become customers of the desk. Adding it twice is fine.',
  security: AUTHENTICATED,
  request: {
    params: ZDeskParams,
    body: jsonBody(ZOrganizationIdBody),
  },
  responses: { 204: { description: 'Added' }, ...errorResponses(ZJsmError, [400, 401, 403, 404]) },
});

const removeDeskOrganizationRoute = createRoute({
  method: 'delete',
  path: `${BASE}/servicedesk/{serviceDeskId}/organization`,
  tags: TAGS,
  summary: 'Remove an organization from a service desk',
  description: 'Agents. The organization and its members stay.',
  security: AUTHENTICATED,
  request: {
    params: ZDeskParams,
    body: jsonBody(ZOrganizationIdBody),
  },
  responses: { 204: { description: 'Removed' }, ...errorResponses(ZJsmError, [400, 401, 403, 404]) },
});

const ZArticleQuery = z.object({
  query: z.string().max(200).optional().openapi({ description: 'Search text (required; 400 without it)' }),
  highlight: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Wrap matches in @@@hl@@@…@@@endhl@@@' }),
  start: ZPageQuery.shape.start.openapi({ description: 'Deprecated, as Atlassian’s: use `cursor`' }),
  limit: ZPageQuery.shape.limit,
  ...ZKbCursorQuery.shape,
});

const deskArticlesRoute = createRoute({
  method: 'get',
  path: `${BASE}/servicedesk/{serviceDeskId}/knowledgebase/article`,
  tags: TAGS,
  summary: 'Search the knowledge base of a service desk',
  description: 'Articles of the desk and site-wide ones whose title or text contains every word of `query`.',
  security: AUTHENTICATED,
  request: { params: ZDeskParams, query: ZArticleQuery },
  responses: {
    200: json(pagedSchema(ZArticle, 'PagedArticleDTO'), 'A page of articles'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const siteArticlesRoute = createRoute({
  method: 'get',
  path: `${BASE}/knowledgebase/article`,
  tags: TAGS,
  summary: 'Search the knowledge base of a site',
  description: 'Articles of the site whose title or text contains every word of `query` (400 without it).',
  security: AUTHENTICATED,
  request: { params: z.object({ site: ZSiteParam }), query: ZArticleQuery },
  responses: {
    200: json(pagedSchema(ZArticle, 'PagedArticleDTO'), 'A page of articles'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const viewArticleRoute = createRoute({
  method: 'get',
  path: `${BASE}/knowledgebase/article/view/{pageId}`,
  tags: TAGS,
  summary: 'View a knowledge-base article',
  description: 'The article as sanitized HTML (what search results link to as `content.iframeSrc`).',
  security: AUTHENTICATED,
  request: {
    params: z.object({
      site: ZSiteParam,
      pageId: z
        .string()
        .regex(/^\d{1,9}$/)
        .openapi({ param: { name: 'pageId', in: 'path' }, description: 'Article id' }),
    }),
  },
  responses: {
    200: { description: 'The article', content: { 'text/html': { schema: z.string() } } },
    ...errorResponses(ZJsmError, [401, 404]),
  },
});

function requireExperimental(optedIn: boolean): void {
  if (!optedIn) {
    throw new AppError(
      'request.invalid_input',
      'This is an experimental API: send the header X-ExperimentalApi: opt-in to use it.',
      { details: [{ path: 'X-ExperimentalApi', message: 'required' }] },
    );
  }
}

export const serviceDeskRoutes = createRouter()
  .openapi(listDesksRoute, async (c) => {
    const services = c.get('services');
    const site = await getSiteByName(services.db, c.req.valid('param').site);
    const page = c.req.valid('query');
    const rows = await listServiceDesksFor(useCaseContext(c, { site }), page);
    const base = siteBase(c, site);
    return c.json(
      paged(c, site, rows, page, (desk) => presentServiceDesk(base, desk)),
      200,
    );
  })
  .openapi(getDeskRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const { desk } = await getServiceDesk(useCaseContext(c, { site }), serviceDeskId);
    return c.json(presentServiceDesk(siteBase(c, site), desk), 200);
  })
  .openapi(listCustomersRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    requireExperimental(hasExperimentalOptIn(c));
    const { query, ...page } = c.req.valid('query');
    const people = await listDeskCustomers(useCaseContext(c, { site }), { serviceDeskId, query, ...page });
    const base = siteBase(c, site);
    return c.json(
      paged(c, site, people, page, (p) => presentUser(base, p)),
      200,
    );
  })
  .openapi(addCustomersRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    await addDeskCustomers(useCaseContext(c, { site }), {
      serviceDeskId,
      accountIds: c.req.valid('json').accountIds,
    });
    return c.body(null, 204);
  })
  .openapi(removeCustomersRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    requireExperimental(hasExperimentalOptIn(c));
    await removeDeskCustomers(useCaseContext(c, { site }), {
      serviceDeskId,
      accountIds: c.req.valid('json').accountIds,
    });
    return c.body(null, 204);
  })
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
  })
  .openapi(listDeskOrganizationsRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const { accountId, ...page } = c.req.valid('query');
    const rows = await listCustomerOrganizations(useCaseContext(c, { site }), {
      accountId,
      serviceDeskId,
      ...page,
    });
    const base = siteBase(c, site);
    return c.json(
      paged(c, site, rows, page, (o) => presentOrganization(base, o)),
      200,
    );
  })
  .openapi(addDeskOrganizationRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    await setDeskOrganization(useCaseContext(c, { site }), {
      serviceDeskId,
      organizationId: c.req.valid('json').organizationId,
      attached: true,
    });
    return c.body(null, 204);
  })
  .openapi(removeDeskOrganizationRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    await setDeskOrganization(useCaseContext(c, { site }), {
      serviceDeskId,
      organizationId: c.req.valid('json').organizationId,
      attached: false,
    });
    return c.body(null, 204);
  })
  .openapi(deskArticlesRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const { query, highlight, cursor, prev, ...rest } = c.req.valid('query');
    const page = { start: kbPageStart({ cursor, prev, ...rest }), limit: rest.limit };
    const rows = await searchKbArticlesFor(useCaseContext(c, { site }), {
      query: query ?? '',
      serviceDeskId,
      ...page,
    });
    const base = siteBase(c, site);
    return c.json(
      withCursorLinks(
        paged(c, site, rows, page, (a) => presentArticle(base, a, query ?? '', highlight === 'true')),
      ),
      200,
    );
  })
  .openapi(viewArticleRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, pageId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const article = await getKbArticleFor(useCaseContext(c, { site }), Number(pageId));
    const title = article.title.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
    return c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${article.bodyHtml}</body></html>`,
      200,
    );
  })
  .openapi(siteArticlesRoute, async (c) => {
    const services = c.get('services');
    const site = await getSiteByName(services.db, c.req.valid('param').site);
    const { query, highlight, cursor, prev, ...rest } = c.req.valid('query');
    const page = { start: kbPageStart({ cursor, prev, ...rest }), limit: rest.limit };
    const rows = await searchKbArticlesFor(useCaseContext(c, { site }), {
      query: query ?? '',
      ...page,
    });
    const base = siteBase(c, site);
    return c.json(
      withCursorLinks(
        paged(c, site, rows, page, (a) => presentArticle(base, a, query ?? '', highlight === 'true')),
      ),
      200,
    );
  });
