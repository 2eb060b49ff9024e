import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import {
  listCustomerOrganizations,
  setDeskOrganization,
} from '#src/domain/servicedesk/customer-organizations.ts';
import { type AppEnv, createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, jsonBody, ZJsmError } from '../pagination.ts';
import { paged, presentOrganization, siteBase } from './jsm.presenters.ts';
import { jsonContent as json, pagedSchema, ZDeskParams, ZOrganization, ZPageQuery } from './jsm.schemas.ts';

/** @fileoverview The customer organizations of a service desk (JSM `/servicedesk/{serviceDeskId}/organization`). */

const TAGS = ['JSM: service desks'];
const BASE = '/sites/{site}/rest/servicedeskapi';

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

type OrganizationChangeContext = Context<
  AppEnv,
  string,
  { out: { param: { site: string; serviceDeskId: string }; json: { organizationId: number } } }
>;

/** Attaches (`attached`) or detaches the organization of the body to/from the desk of the path: 204. */
async function setOrganization(c: OrganizationChangeContext, attached: boolean) {
  const { site: siteName, serviceDeskId } = c.req.valid('param');
  const site = await getSiteByName(c.get('services').db, siteName);
  await setDeskOrganization(useCaseContext(c, { site }), {
    serviceDeskId,
    organizationId: c.req.valid('json').organizationId,
    attached,
  });
  return c.body(null, 204);
}

export const deskOrganizationRoutes = createRouter()
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
  .openapi(addDeskOrganizationRoute, (c) => setOrganization(c, true))
  .openapi(removeDeskOrganizationRoute, (c) => setOrganization(c, false));
