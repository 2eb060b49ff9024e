import { createRoute, z } from '@hono/zod-openapi';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { getServiceDesk, listServiceDesksFor } from '#src/domain/servicedesk/get-service-desk.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, ZJsmError } from '../pagination.ts';
import { deskCustomerRoutes } from './desk-customers.routes.ts';
import { deskOrganizationRoutes } from './desk-organizations.routes.ts';
import { deskRequestTypeRoutes } from './desk-request-types.routes.ts';
import { paged, presentServiceDesk, siteBase } from './jsm.presenters.ts';
import {
  jsonContent as json,
  pagedSchema,
  ZDeskParams,
  ZPageQuery,
  ZServiceDesk,
  ZSiteParam,
} from './jsm.schemas.ts';
import { knowledgeBaseRoutes } from './knowledge-base.routes.ts';

const TAGS = ['JSM: service desks'];
const BASE = '/sites/{site}/rest/servicedeskapi';

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
  .route('/', deskCustomerRoutes)
  .route('/', deskRequestTypeRoutes)
  .route('/', deskOrganizationRoutes)
  .route('/', knowledgeBaseRoutes);
