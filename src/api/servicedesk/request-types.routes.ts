import { createRoute, type RouteHandler, z } from '@hono/zod-openapi';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { deskViewerOf } from '#src/domain/servicedesk/desk-viewer.ts';
import { listSiteRequestTypesFor } from '#src/domain/servicedesk/list-request-types.ts';
import { type AppEnv, createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, ZJsmError } from '../pagination.ts';
import { paged, presentDate, presentRequestType, siteBase } from './jsm.presenters.ts';
import { jsonContent, pagedSchema, ZDateDTO, ZPageQuery, ZRequestType, ZSiteParam } from './jsm.schemas.ts';

const BASE = '/sites/{site}/rest/servicedeskapi';

const listAllRequestTypesRoute = createRoute({
  method: 'get',
  path: `${BASE}/requesttype`,
  tags: ['JSM: service desks'],
  summary: 'List request types of every service desk',
  description:
    'Request types across the desks the caller can reach (customers: open types of their desks). `searchQuery` matches names and skips hidden types; `serviceDeskId` (repeatable or comma-separated) narrows to those desks (an invisible desk is 404).',
  security: AUTHENTICATED,
  request: {
    params: z.object({ site: ZSiteParam }),
    query: ZPageQuery.extend({
      searchQuery: z.string().max(200).optional().openapi({ description: 'Name fragment' }),
      serviceDeskId: z
        .union([z.string(), z.array(z.string())])
        .optional()
        .transform((v) =>
          (v === undefined ? [] : Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean),
        )
        .pipe(z.array(z.string().regex(/^\d{1,9}$/)).max(50))
        .openapi({ type: 'string', description: 'Service desk ids' }),
    }),
  },
  responses: {
    200: jsonContent(pagedSchema(ZRequestType, 'PagedRequestTypeDTO'), 'A page of request types'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

/** What this server reports as its JSM version (it implements the Cloud REST API's current shape). */
const SOFTWARE = {
  version: '10.3.0',
  platformVersion: '1001.0.0',
  buildDate: new Date('2026-11-01T00:00:00Z'),
};

const ZSoftwareInfo = z
  .object({
    version: z.string(),
    platformVersion: z.string(),
    buildDate: ZDateDTO,
    buildChangeSet: z.string(),
    isLicensedForUse: z.boolean(),
    _links: z.object({ self: z.string() }),
  })
  .openapi('SoftwareInfoDTO');

const infoRoute = createRoute({
  method: 'get',
  path: `${BASE}/info`,
  tags: ['JSM: service desks'],
  summary: 'Get information about the service desk software',
  description: 'Version information; answers every authenticated caller of the site.',
  security: AUTHENTICATED,
  request: { params: z.object({ site: ZSiteParam }) },
  responses: {
    200: jsonContent(ZSoftwareInfo, 'Software information'),
    ...errorResponses(ZJsmError, [401, 404]),
  },
});

/** Answers `/info` and the API root. */
const softwareInfo: RouteHandler<typeof infoRoute, AppEnv> = async (c) => {
  // Same gate as every site route: anonymous callers 401, another tenant's key 404.
  const { site } = await deskViewerOf(useCaseContext(c, { siteName: c.req.valid('param').site }));
  return c.json(
    {
      version: SOFTWARE.version,
      platformVersion: SOFTWARE.platformVersion,
      buildDate: presentDate(SOFTWARE.buildDate),
      buildChangeSet: 'gatehouse',
      isLicensedForUse: true,
      _links: { self: `${siteBase(c, site)}/rest/servicedeskapi/info` },
    },
    200,
  );
};

const rootRoute = createRoute({
  ...infoRoute,
  path: BASE,
  summary: 'The service desk API root',
  description: 'What every page’s `_links.base` points at: the same software information as `/info`.',
});

export const requestTypeRoutes = createRouter()
  .openapi(listAllRequestTypesRoute, async (c) => {
    const services = c.get('services');
    const site = await getSiteByName(services.db, c.req.valid('param').site);
    const { searchQuery, serviceDeskId, ...page } = c.req.valid('query');
    const rows = await listSiteRequestTypesFor(useCaseContext(c, { site }), {
      serviceDeskIds: serviceDeskId,
      searchQuery,
      ...page,
    });
    const base = siteBase(c, site);
    return c.json(
      paged(c, site, rows, page, (t) => presentRequestType(base, t)),
      200,
    );
  })
  .openapi(infoRoute, softwareInfo)
  .openapi(rootRoute, softwareInfo);
