import { createRoute, z } from '@hono/zod-openapi';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { loadPeople } from '#src/domain/servicedesk/people.ts';
import {
  getDeskQueue,
  listDeskQueues,
  listQueueRequests,
  QUEUE_FIELDS,
  type QueueDefinition,
} from '#src/domain/servicedesk/queues.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, ZJsmError } from '../pagination.ts';
import { presentIssue, ZIssue } from './issue.schemas.ts';
import { paged, siteBase } from './jsm.presenters.ts';
import { jsonContent, pagedSchema, ZDeskParams, ZPageQuery } from './jsm.schemas.ts';

const TAGS = ['JSM: queues'];
const BASE = '/sites/{site}/rest/servicedeskapi/servicedesk/{serviceDeskId}/queue';

const ZQueueParams = ZDeskParams.extend({
  queueId: z
    .string()
    .regex(/^\d{1,9}$/)
    .openapi({ param: { name: 'queueId', in: 'path' }, description: 'Queue id' }),
});
const ZIncludeCount = z
  .enum(['true', 'false'])
  .optional()
  .openapi({ description: 'Include each queue’s request count' });

const ZQueue = z
  .object({
    id: z.string(),
    name: z.string(),
    jql: z.string(),
    fields: z.array(z.string()),
    issueCount: z.number().int().optional(),
    _links: z.object({ self: z.string() }),
  })
  .openapi('QueueDTO');

function presentQueue(base: string, deskId: number, queue: QueueDefinition & { issueCount?: number }) {
  return {
    id: String(queue.id),
    name: queue.name,
    jql: queue.jql,
    fields: QUEUE_FIELDS,
    ...(queue.issueCount === undefined ? {} : { issueCount: queue.issueCount }),
    _links: { self: `${base}/rest/servicedeskapi/servicedesk/${deskId}/queue/${queue.id}` },
  };
}

const listQueuesRoute = createRoute({
  method: 'get',
  path: BASE,
  tags: TAGS,
  summary: 'List the queues of a service desk',
  description:
    'Agents only (customers: 403). The default JSM queues: all open, unassigned, assigned to me, waiting for customer, resolved.',
  security: AUTHENTICATED,
  request: { params: ZDeskParams, query: ZPageQuery.extend({ includeCount: ZIncludeCount }) },
  responses: {
    200: jsonContent(pagedSchema(ZQueue, 'PagedQueueDTO'), 'A page of queues'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404]),
  },
});

const getQueueRoute = createRoute({
  method: 'get',
  path: `${BASE}/{queueId}`,
  tags: TAGS,
  summary: 'Get a queue',
  description: 'Agents only.',
  security: AUTHENTICATED,
  request: { params: ZQueueParams, query: z.object({ includeCount: ZIncludeCount }) },
  responses: {
    200: jsonContent(ZQueue, 'The queue'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404]),
  },
});

const queueIssuesRoute = createRoute({
  method: 'get',
  path: `${BASE}/{queueId}/issue`,
  tags: TAGS,
  summary: 'List the requests in a queue',
  description: 'Agents only; latest activity first, as Jira issues.',
  security: AUTHENTICATED,
  request: { params: ZQueueParams, query: ZPageQuery },
  responses: {
    200: jsonContent(pagedSchema(ZIssue, 'PagedIssueBean'), 'A page of requests'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404]),
  },
});

export const queueRoutes = createRouter()
  .openapi(listQueuesRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const { includeCount, ...page } = c.req.valid('query');
    const { desk, queues } = await listDeskQueues(useCaseContext(c, { site }), {
      serviceDeskId,
      includeCount: includeCount === 'true',
    });
    const base = siteBase(c, site);
    return c.json(
      paged(c, site, queues.slice(page.start, page.start + page.limit + 1), page, (q) =>
        presentQueue(base, desk.id, q),
      ),
      200,
    );
  })
  .openapi(getQueueRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId, queueId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const { desk, queue } = await getDeskQueue(useCaseContext(c, { site }), {
      serviceDeskId,
      queueId: Number(queueId),
      includeCount: c.req.valid('query').includeCount === 'true',
    });
    return c.json(presentQueue(siteBase(c, site), desk.id, queue), 200);
  })
  .openapi(queueIssuesRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId, queueId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const page = c.req.valid('query');
    const { viewer, rows } = await listQueueRequests(useCaseContext(c, { site }), {
      serviceDeskId,
      queueId: Number(queueId),
      ...page,
    });
    const shown = rows.slice(0, page.limit);
    const people = await loadPeople(services.db, viewer, [
      ...shown.map((r) => r.reporterId),
      ...shown.map((r) => r.assigneeId),
    ]);
    const base = siteBase(c, site);
    return c.json(
      paged(c, site, rows, page, (r) => presentIssue(base, r, people)),
      200,
    );
  });
