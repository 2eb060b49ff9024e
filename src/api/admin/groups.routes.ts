import { createRoute, z } from '@hono/zod-openapi';
import { listGroups } from '#src/db/queries/directory/groups.queries.ts';
import { getOrgForAdmin } from '#src/domain/policies/org-access.ts';
import { createRouter } from '../http.ts';
import {
  AUTHENTICATED,
  cursorPage,
  decodeCursor,
  errorResponses,
  ZAdminError,
  ZCursorQuery,
} from '../pagination.ts';
import { ZOrgId } from './admin.schemas.ts';

export const ZGroup = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    is_default: z.boolean().describe('Default access groups cannot be deleted.'),
    product_id: z.string().nullable(),
    role: z.enum(['customer', 'user', 'admin']).nullable().describe('Product role the group grants.'),
    member_count: z.number().int(),
    links: z.object({ self: z.string() }),
  })
  .openapi('Group');

const listGroupsRoute = createRoute({
  method: 'get',
  path: '/admin/v1/orgs/{orgId}/groups',
  tags: ['Admin: groups'],
  summary: 'List groups of an organization',
  description:
    'Groups ordered by name, with the product role each grants and its member count. Cursor pages.',
  security: AUTHENTICATED,
  request: { params: z.object({ orgId: ZOrgId }), query: ZCursorQuery },
  responses: {
    200: {
      description: 'A page of groups',
      content: {
        'application/json': {
          schema: z.object({
            data: z.array(ZGroup),
            links: z.object({ self: z.string(), next: z.string().optional() }),
          }),
        },
      },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

export const groupsRoutes = createRouter().openapi(listGroupsRoute, async (c) => {
  const { db } = c.get('services');
  const { orgId } = c.req.valid('param');
  const { cursor, limit } = c.req.valid('query');
  const org = await getOrgForAdmin(db, c.get('actor'), orgId);
  const rows = await listGroups(db, org.id, decodeCursor(cursor), limit + 1);
  const page = cursorPage(
    rows,
    limit,
    (row) => row.group.name.toLowerCase(),
    ({ group, members }) => ({
      id: group.id,
      name: group.name,
      description: group.description,
      is_default: group.isDefault,
      product_id: group.productId,
      role: group.role,
      member_count: Number(members),
      links: { self: `/admin/v1/orgs/${org.id}/groups/${group.id}` },
    }),
    new URL(c.req.url),
  );
  return c.json(page, 200);
});
