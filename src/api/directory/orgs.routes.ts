import { createRoute, z } from '@hono/zod-openapi';
import {
  AUTHENTICATED,
  cursorPage,
  cursorPageResponse,
  decodeCursor,
  errorResponses,
  ZAdminError,
  ZCursorQuery,
} from '#src/api/pagination.ts';
import { listMyOrganizations } from '#src/domain/directory/list-my-organizations.ts';
import { assertCan } from '#src/domain/policies/can.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { presentOrg, ZOrg, ZOrgId } from './directory.schemas.ts';

const listOrgs = createRoute({
  method: 'get',
  path: '/admin/v1/orgs',
  tags: ['Admin: organizations'],
  summary: 'List organizations',
  description:
    'Organizations the caller can administer: the key’s own org, or every org the account administers.',
  security: AUTHENTICATED,
  request: { query: ZCursorQuery },
  responses: {
    200: cursorPageResponse('A page of organizations', ZOrg),
    ...errorResponses(ZAdminError, [400, 401]),
  },
});

const getOrg = createRoute({
  method: 'get',
  path: '/admin/v1/orgs/{orgId}',
  tags: ['Admin: organizations'],
  summary: 'Get an organization',
  description: 'One organization by id. Another tenant’s id answers 404.',
  security: AUTHENTICATED,
  request: { params: z.object({ orgId: ZOrgId }) },
  responses: {
    200: {
      description: 'The organization',
      content: { 'application/json': { schema: z.object({ data: ZOrg }) } },
    },
    ...errorResponses(ZAdminError, [401, 403, 404]),
  },
});

export const orgsRoutes = createRouter()
  .openapi(listOrgs, async (c) => {
    const { cursor, limit } = c.req.valid('query');
    const rows = await listMyOrganizations(useCaseContext(c, {}), {
      afterId: decodeCursor(cursor),
      limit: limit + 1,
    });
    return c.json(
      cursorPage(rows, limit, (org) => org.id, presentOrg, new URL(c.req.url)),
      200,
    );
  })
  .openapi(getOrg, async (c) => {
    const org = await assertCan(c.get('services').db, c.get('actor'), 'org.view', {
      orgId: c.req.valid('param').orgId,
    });
    return c.json({ data: presentOrg(org) }, 200);
  });
