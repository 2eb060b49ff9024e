import { createRoute, z } from '@hono/zod-openapi';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import {
  addOrganizationMembers,
  createCustomerOrganization,
  deleteCustomerOrganization,
  getCustomerOrganization,
  listCustomerOrganizations,
  listOrganizationMembers,
  removeOrganizationMembers,
} from '#src/domain/servicedesk/customer-organizations.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, jsonBody, ZJsmError } from '../pagination.ts';
import { paged, presentOrganization, presentUser, siteBase } from './jsm.presenters.ts';
import { pagedSchema, ZAccountIds, ZOrganization, ZPageQuery, ZSiteParam, ZUserDTO } from './jsm.schemas.ts';

const TAGS = ['JSM: organizations'];
const BASE = '/sites/{site}/rest/servicedeskapi';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const ZOrgParams = z.object({
  site: ZSiteParam,
  organizationId: z
    .string()
    .regex(/^\d{1,9}$/)
    .openapi({ param: { name: 'organizationId', in: 'path' }, description: 'Customer organization id' }),
});

const listRoute = createRoute({
  method: 'get',
  path: `${BASE}/organization`,
  tags: TAGS,
  summary: 'List customer organizations',
  description:
    'Organizations of the site (agents); `accountId` keeps those the user belongs to. Customers see their own.',
  security: AUTHENTICATED,
  request: {
    params: z.object({ site: ZSiteParam }),
    query: ZPageQuery.extend({
      accountId: z.string().max(128).optional().openapi({ description: 'Member filter' }),
    }),
  },
  responses: {
    200: json(pagedSchema(ZOrganization, 'PagedOrganizationDTO'), 'A page of organizations'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const createOrgRoute = createRoute({
  method: 'post',
  path: `${BASE}/organization`,
  tags: TAGS,
  summary: 'Create a customer organization',
  description: 'Agents. Names are 1–200 characters and unique on the site (409 otherwise).',
  security: AUTHENTICATED,
  request: {
    params: z.object({ site: ZSiteParam }),
    body: jsonBody(
      z
        .object({ name: z.string().trim().min(1).max(200).describe('Organization name') })
        .openapi('OrganizationCreateDTO'),
    ),
  },
  responses: {
    201: json(ZOrganization, 'The new organization'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404, 409]),
  },
});

const getOrgRoute = createRoute({
  method: 'get',
  path: `${BASE}/organization/{organizationId}`,
  tags: TAGS,
  summary: 'Get a customer organization',
  description: 'Agents. 404 when missing or on another site.',
  security: AUTHENTICATED,
  request: { params: ZOrgParams },
  responses: { 200: json(ZOrganization, 'The organization'), ...errorResponses(ZJsmError, [401, 403, 404]) },
});

const deleteOrgRoute = createRoute({
  method: 'delete',
  path: `${BASE}/organization/{organizationId}`,
  tags: TAGS,
  summary: 'Delete a customer organization',
  description: 'Agents. Members keep their accounts; requests shared with it are no longer shared.',
  security: AUTHENTICATED,
  request: { params: ZOrgParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(ZJsmError, [401, 403, 404]) },
});

const listUsersRoute = createRoute({
  method: 'get',
  path: `${BASE}/organization/{organizationId}/user`,
  tags: TAGS,
  summary: 'List members of an organization',
  description: 'Agents.',
  security: AUTHENTICATED,
  request: { params: ZOrgParams, query: ZPageQuery },
  responses: {
    200: json(pagedSchema(ZUserDTO, 'PagedOrganizationUserDTO'), 'A page of members'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404]),
  },
});

const addUsersRoute = createRoute({
  method: 'post',
  path: `${BASE}/organization/{organizationId}/user`,
  tags: TAGS,
  summary: 'Add members to an organization',
  description:
    'Agents. Every id must exist on the site (400 naming the missing ones, nothing written); existing members are fine.',
  security: AUTHENTICATED,
  request: {
    params: ZOrgParams,
    body: jsonBody(ZAccountIds),
  },
  responses: { 204: { description: 'Added' }, ...errorResponses(ZJsmError, [400, 401, 403, 404]) },
});

const removeUsersRoute = createRoute({
  method: 'delete',
  path: `${BASE}/organization/{organizationId}/user`,
  tags: TAGS,
  summary: 'Remove members from an organization',
  description: 'Agents. The people stay; they lose access that came through this organization.',
  security: AUTHENTICATED,
  request: {
    params: ZOrgParams,
    body: jsonBody(ZAccountIds),
  },
  responses: { 204: { description: 'Removed' }, ...errorResponses(ZJsmError, [400, 401, 403, 404]) },
});

export const organizationRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const services = c.get('services');
    const site = await getSiteByName(services.db, c.req.valid('param').site);
    const { accountId, ...page } = c.req.valid('query');
    const rows = await listCustomerOrganizations(useCaseContext(c, { site }), { accountId, ...page });
    const base = siteBase(c, site);
    return c.json(
      paged(c, site, rows, page, (o) => presentOrganization(base, o)),
      200,
    );
  })
  .openapi(createOrgRoute, async (c) => {
    const services = c.get('services');
    const site = await getSiteByName(services.db, c.req.valid('param').site);
    const row = await createCustomerOrganization(useCaseContext(c, { site }), c.req.valid('json'));
    return c.json(presentOrganization(siteBase(c, site), row), 201);
  })
  .openapi(getOrgRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, organizationId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const row = await getCustomerOrganization(useCaseContext(c, { site }), Number(organizationId));
    return c.json(presentOrganization(siteBase(c, site), row), 200);
  })
  .openapi(deleteOrgRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, organizationId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    await deleteCustomerOrganization(useCaseContext(c, { site }), Number(organizationId));
    return c.body(null, 204);
  })
  .openapi(listUsersRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, organizationId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const page = c.req.valid('query');
    const people = await listOrganizationMembers(useCaseContext(c, { site }), {
      organizationId: Number(organizationId),
      ...page,
    });
    const base = siteBase(c, site);
    return c.json(
      paged(c, site, people, page, (p) => presentUser(base, p)),
      200,
    );
  })
  .openapi(addUsersRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, organizationId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    await addOrganizationMembers(useCaseContext(c, { site }), {
      organizationId: Number(organizationId),
      accountIds: c.req.valid('json').accountIds,
    });
    return c.body(null, 204);
  })
  .openapi(removeUsersRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, organizationId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    await removeOrganizationMembers(useCaseContext(c, { site }), {
      organizationId: Number(organizationId),
      accountIds: c.req.valid('json').accountIds,
    });
    return c.body(null, 204);
  });
