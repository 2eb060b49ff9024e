import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import {
  addRequestParticipants,
  listRequestParticipants,
  removeRequestParticipants,
} from '#src/domain/servicedesk/request-participants.ts';
import type { DeskTenant, UseCaseContext } from '#src/domain/use-case.ts';
import { type AppEnv, createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, jsonBody, ZJsmError } from '../pagination.ts';
import { paged, presentUser, siteBase } from './jsm.presenters.ts';
import {
  jsonContent as json,
  pagedSchema,
  ZAccountIds,
  ZPageQuery,
  ZRequestParams,
  ZUserDTO,
} from './jsm.schemas.ts';

/** @fileoverview Who a customer request is shared with (JSM `/request/{issueIdOrKey}/participant`). */

const TAGS = ['JSM: requests'];
const BASE = '/sites/{site}/rest/servicedeskapi';

const listParticipantsRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}/participant`,
  tags: TAGS,
  summary: 'List participants of a request',
  description: 'People the request is shared with.',
  security: AUTHENTICATED,
  request: { params: ZRequestParams, query: ZPageQuery },
  responses: {
    200: json(pagedSchema(ZUserDTO, 'PagedParticipantDTO'), 'A page of participants'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const addParticipantsRoute = createRoute({
  method: 'post',
  path: `${BASE}/request/{issueIdOrKey}/participant`,
  tags: TAGS,
  summary: 'Add participants to a request',
  description:
    'Agents may add anyone on the site; customers only within the desk’s customer-sharing rule (else 400, nothing written).',
  security: AUTHENTICATED,
  request: {
    params: ZRequestParams,
    body: jsonBody(ZAccountIds),
  },
  responses: {
    200: json(pagedSchema(ZUserDTO, 'PagedParticipantDTO'), 'The participants now'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404]),
  },
});

const removeParticipantsRoute = createRoute({
  method: 'delete',
  path: `${BASE}/request/{issueIdOrKey}/participant`,
  tags: TAGS,
  summary: 'Remove participants from a request',
  description: 'Agents and the reporter may remove anyone; other participants only themselves.',
  security: AUTHENTICATED,
  request: {
    params: ZRequestParams,
    body: jsonBody(ZAccountIds),
  },
  responses: {
    200: json(pagedSchema(ZUserDTO, 'PagedParticipantDTO'), 'The participants now'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404]),
  },
});

type ParticipantsContext = Context<
  AppEnv,
  string,
  { out: { param: { site: string; issueIdOrKey: string } } }
>;

/**
 * Runs `change` (none for the list) on the request the path names, then answers a page of its participants as
 * JSM renders it (the list route, and the reply of add and remove: the first 50).
 */
async function participantsPage(
  c: ParticipantsContext,
  page: { start: number; limit: number },
  change?: (ctx: UseCaseContext<DeskTenant>, issueIdOrKey: string) => Promise<void>,
) {
  const { site: siteName, issueIdOrKey } = c.req.valid('param');
  const site = await getSiteByName(c.get('services').db, siteName);
  const ctx = useCaseContext(c, { site });
  if (change) await change(ctx, issueIdOrKey);
  const people = await listRequestParticipants(ctx, { issueIdOrKey, ...page });
  const base = siteBase(c, site);
  return paged(c, site, people, page, (p) => presentUser(base, p));
}

export const requestParticipantRoutes = createRouter()
  .openapi(listParticipantsRoute, async (c) => c.json(await participantsPage(c, c.req.valid('query')), 200))
  .openapi(addParticipantsRoute, async (c) => {
    const { accountIds } = c.req.valid('json');
    const answer = await participantsPage(c, { start: 0, limit: 50 }, (ctx, issueIdOrKey) =>
      addRequestParticipants(ctx, { issueIdOrKey, accountIds }),
    );
    return c.json(answer, 200);
  })
  .openapi(removeParticipantsRoute, async (c) => {
    const { accountIds } = c.req.valid('json');
    const answer = await participantsPage(c, { start: 0, limit: 50 }, (ctx, issueIdOrKey) =>
      removeRequestParticipants(ctx, { issueIdOrKey, accountIds }),
    );
    return c.json(answer, 200);
  });
