import { createRoute, z } from '@hono/zod-openapi';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { addDeskCustomers } from '#src/domain/servicedesk/add-desk-customers.ts';
import { listDeskCustomers } from '#src/domain/servicedesk/list-desk-customers.ts';
import { removeDeskCustomers } from '#src/domain/servicedesk/remove-desk-customers.ts';
import { AppError } from '#src/shared/errors.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, jsonBody, ZJsmError } from '../pagination.ts';
import { hasExperimentalOptIn, paged, presentUser, siteBase } from './jsm.presenters.ts';
import {
  jsonContent as json,
  pagedSchema,
  ZAccountIds,
  ZDeskParams,
  ZPageQuery,
  ZUserDTO,
} from './jsm.schemas.ts';

/** @fileoverview The customers of a service desk (JSM `/servicedesk/{serviceDeskId}/customer`). */

const TAGS = ['JSM: service desks'];
const BASE = '/sites/{site}/rest/servicedeskapi';

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

function requireExperimental(optedIn: boolean): void {
  if (!optedIn) {
    throw new AppError(
      'request.invalid_input',
      'This is an experimental API: send the header X-ExperimentalApi: opt-in to use it.',
      { details: [{ path: 'X-ExperimentalApi', message: 'required' }] },
    );
  }
}

export const deskCustomerRoutes = createRouter()
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
  });
