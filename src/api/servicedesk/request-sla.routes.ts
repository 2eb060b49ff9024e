import { createRoute, z } from '@hono/zod-openapi';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { getRequestSla, getRequestSlaMetric } from '#src/domain/servicedesk/sla.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, ZJsmError } from '../pagination.ts';
import { paged, siteBase } from './jsm.presenters.ts';
import { jsonContent, pagedSchema, ZPageQuery, ZRequestParams } from './jsm.schemas.ts';
import { presentSla, ZSlaInformation } from './sla.schemas.ts';

const TAGS = ['JSM: requests'];
const BASE = '/sites/{site}/rest/servicedeskapi';

const listSlaRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}/sla`,
  tags: TAGS,
  summary: 'Get the SLA information of a request',
  description:
    'Time to first response (goal 4 h) and time to resolution (goal 16 h, paused while waiting for the customer, a new cycle per reopening), computed from the status history in calendar time.',
  security: AUTHENTICATED,
  request: { params: ZRequestParams, query: ZPageQuery },
  responses: {
    200: jsonContent(pagedSchema(ZSlaInformation, 'PagedSlaInformationDTO'), 'The SLA metrics'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const getSlaRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}/sla/{slaMetricId}`,
  tags: TAGS,
  summary: 'Get one SLA metric of a request',
  description: 'Metric 1 is time to first response, 2 time to resolution.',
  security: AUTHENTICATED,
  request: {
    params: ZRequestParams.extend({
      slaMetricId: z
        .string()
        .regex(/^\d{1,9}$/)
        .openapi({ param: { name: 'slaMetricId', in: 'path' } }),
    }),
  },
  responses: { 200: jsonContent(ZSlaInformation, 'The metric'), ...errorResponses(ZJsmError, [401, 404]) },
});

export const requestSlaRoutes = createRouter()
  .openapi(listSlaRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const page = c.req.valid('query');
    const { request, metrics } = await getRequestSla(useCaseContext(c, { site }), issueIdOrKey);
    const base = siteBase(c, site);
    return c.json(
      paged(c, site, metrics.slice(page.start, page.start + page.limit + 1), page, (m) =>
        presentSla(base, request.id, m),
      ),
      200,
    );
  })
  .openapi(getSlaRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey, slaMetricId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const { request, metric } = await getRequestSlaMetric(useCaseContext(c, { site }), {
      issueIdOrKey,
      metricId: Number(slaMetricId),
    });
    return c.json(presentSla(siteBase(c, site), request.id, metric), 200);
  });
