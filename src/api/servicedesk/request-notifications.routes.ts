import { createRoute, z } from '@hono/zod-openapi';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import {
  getNotificationSubscription,
  setNotificationSubscription,
} from '#src/domain/servicedesk/request-notifications.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, ZJsmError } from '../pagination.ts';
import { jsonContent, ZRequestParams } from './jsm.schemas.ts';

const TAGS = ['JSM: requests'];
const PATH = '/sites/{site}/rest/servicedeskapi/request/{issueIdOrKey}/notification';

const ZSubscription = z.object({ subscribed: z.boolean() }).openapi('RequestNotificationSubscriptionDTO');

const getRoute = createRoute({
  method: 'get',
  path: PATH,
  tags: TAGS,
  summary: 'Get the caller’s notification subscription',
  description:
    'Whether the caller receives the request’s notifications: their own choice, else subscribed as reporter or participant.',
  security: AUTHENTICATED,
  request: { params: ZRequestParams },
  responses: {
    200: jsonContent(ZSubscription, 'The subscription'),
    ...errorResponses(ZJsmError, [401, 404]),
  },
});

const subscribeRoute = createRoute({
  method: 'put',
  path: PATH,
  tags: TAGS,
  summary: 'Subscribe to a request’s notifications',
  description: 'The caller (a person; an org API key gets 403) receives the request’s notifications.',
  security: AUTHENTICATED,
  request: { params: ZRequestParams },
  responses: { 204: { description: 'Subscribed' }, ...errorResponses(ZJsmError, [401, 403, 404]) },
});

const unsubscribeRoute = createRoute({
  method: 'delete',
  path: PATH,
  tags: TAGS,
  summary: 'Unsubscribe from a request’s notifications',
  description: 'The caller (a person; an org API key gets 403) stops receiving the request’s notifications.',
  security: AUTHENTICATED,
  request: { params: ZRequestParams },
  responses: { 204: { description: 'Unsubscribed' }, ...errorResponses(ZJsmError, [401, 403, 404]) },
});

export const requestNotificationRoutes = createRouter()
  .openapi(getRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const subscribed = await getNotificationSubscription(useCaseContext(c, { site }), issueIdOrKey);
    return c.json({ subscribed }, 200);
  })
  .openapi(subscribeRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    await setNotificationSubscription(useCaseContext(c, { site }), { issueIdOrKey, subscribed: true });
    return c.body(null, 204);
  })
  .openapi(unsubscribeRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    await setNotificationSubscription(useCaseContext(c, { site }), { issueIdOrKey, subscribed: false });
    return c.body(null, 204);
  });
