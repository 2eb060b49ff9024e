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
import type { GroupRow } from '#src/db/queries/directory/groups.queries.ts';
import { getOrgGroup } from '#src/domain/directory/get-group.ts';
import {
  addGroupMembers,
  createGroup,
  deleteGroup,
  removeGroupMembers,
  renameGroup,
} from '#src/domain/directory/groups.ts';
import { listOrgGroups } from '#src/domain/directory/list-groups.ts';
import { clientIp } from '#src/web/client-ip.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { ZOrgId } from './directory.schemas.ts';

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
    200: cursorPageResponse('A page of groups', ZGroup),
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

function presentGroup(group: GroupRow, members: number): z.infer<typeof ZGroup> {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    is_default: group.isDefault,
    product_id: group.productId,
    role: group.role,
    member_count: members,
    links: { self: `/admin/v1/orgs/${group.orgId}/groups/${group.id}` },
  };
}

const ZGroupParams = z.object({
  orgId: ZOrgId,
  groupId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'groupId', in: 'path' }, description: 'Group id' }),
});

const getGroupRoute = createRoute({
  method: 'get',
  path: '/admin/v1/orgs/{orgId}/groups/{groupId}',
  tags: ['Admin: groups'],
  summary: 'Get a group',
  description:
    'One group with the product role it grants and its member count (what `links.self` of a group points at).',
  security: AUTHENTICATED,
  request: { params: ZGroupParams },
  responses: {
    200: {
      description: 'The group',
      content: { 'application/json': { schema: z.object({ data: ZGroup }) } },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const createGroupRoute = createRoute({
  method: 'post',
  path: '/admin/v1/orgs/{orgId}/groups',
  tags: ['Admin: groups'],
  summary: 'Create a group',
  description: 'Names are unique per organization (case-insensitive) and cannot be changed later.',
  security: AUTHENTICATED,
  request: {
    params: z.object({ orgId: ZOrgId }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            name: z.string().trim().min(1).max(255).describe('Group name (immutable).'),
            description: z.string().max(1000).optional().describe('What the group is for.'),
          }),
        },
      },
    },
  },
  responses: {
    201: {
      description: 'The new group',
      content: { 'application/json': { schema: z.object({ data: ZGroup }) } },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404, 409]),
  },
});

const renameGroupRoute = createRoute({
  method: 'patch',
  path: '/admin/v1/orgs/{orgId}/groups/{groupId}',
  tags: ['Admin: groups'],
  summary: 'Rename a group (always refused)',
  description: "A group's name can't be changed after creation: 400 `directory.group_rename_forbidden`.",
  security: AUTHENTICATED,
  request: {
    params: ZGroupParams,
    body: {
      required: true,
      content: {
        'application/json': { schema: z.object({ name: z.string().min(1).max(255).describe('New name.') }) },
      },
    },
  },
  responses: {
    200: { description: 'Never returned: a group name is immutable (the route always answers 400).' },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const deleteGroupRoute = createRoute({
  method: 'delete',
  path: '/admin/v1/orgs/{orgId}/groups/{groupId}',
  tags: ['Admin: groups'],
  summary: 'Delete a group',
  description: 'Default access groups cannot be deleted (409 `directory.group_is_default`).',
  security: AUTHENTICATED,
  request: { params: ZGroupParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(ZAdminError, [401, 403, 404, 409]) },
});

const membersBody = {
  required: true,
  content: {
    'application/json': {
      schema: z.object({
        accountIds: z.array(z.string().min(1).max(128)).min(1).max(1000).describe('Account ids.'),
      }),
    },
  },
};

const addMembersRoute = createRoute({
  method: 'post',
  path: '/admin/v1/orgs/{orgId}/groups/{groupId}/members',
  tags: ['Admin: groups'],
  summary: 'Add members to a group',
  description:
    'Org members only. Portal-only customers (`qm:` ids) can never join a group (400 `directory.portal_only_cannot_join`). A group granting a billable role needs free seats (409 `directory.no_seats_left`).',
  security: AUTHENTICATED,
  request: { params: ZGroupParams, body: membersBody },
  responses: {
    200: {
      description: 'Added',
      content: { 'application/json': { schema: z.object({ added: z.number().int() }) } },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404, 409]),
  },
});

const removeMembersRoute = createRoute({
  method: 'delete',
  path: '/admin/v1/orgs/{orgId}/groups/{groupId}/members',
  tags: ['Admin: groups'],
  summary: 'Remove members from a group',
  description: 'Accounts that are not in the group are ignored.',
  security: AUTHENTICATED,
  request: { params: ZGroupParams, body: membersBody },
  responses: {
    200: {
      description: 'Removed',
      content: { 'application/json': { schema: z.object({ removed: z.number().int() }) } },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

export const groupsRoutes = createRouter()
  .openapi(listGroupsRoute, async (c) => {
    const { orgId } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    const { groups } = await listOrgGroups(useCaseContext(c, { orgId }), {
      permission: 'org.directory.view',
      afterName: decodeCursor(cursor),
      limit: limit + 1,
    });
    const page = cursorPage(
      groups,
      limit,
      (row) => row.group.name.toLowerCase(),
      ({ group, members }) => presentGroup(group, Number(members)),
      new URL(c.req.url),
    );
    return c.json(page, 200);
  })
  .openapi(getGroupRoute, async (c) => {
    const { orgId, groupId } = c.req.valid('param');
    const { group, members } = await getOrgGroup(useCaseContext(c, { orgId }), { groupId });
    return c.json({ data: presentGroup(group, members) }, 200);
  })
  .openapi(createGroupRoute, async (c) => {
    const { orgId } = c.req.valid('param');
    const body = c.req.valid('json');
    const group = await createGroup(c.get('services'), c.get('actor'), { orgId, ...body, ip: clientIp(c) });
    return c.json({ data: presentGroup(group, 0) }, 201);
  })
  .openapi(renameGroupRoute, async (c) => {
    return renameGroup(c.get('services'), c.get('actor'), c.req.valid('param'));
  })
  .openapi(deleteGroupRoute, async (c) => {
    await deleteGroup(c.get('services'), c.get('actor'), { ...c.req.valid('param'), ip: clientIp(c) });
    return c.body(null, 204);
  })
  .openapi(addMembersRoute, async (c) => {
    const params = c.req.valid('param');
    const { accountIds } = c.req.valid('json');
    return c.json(
      await addGroupMembers(c.get('services'), c.get('actor'), { ...params, accountIds, ip: clientIp(c) }),
      200,
    );
  })
  .openapi(removeMembersRoute, async (c) => {
    const params = c.req.valid('param');
    const { accountIds } = c.req.valid('json');
    return c.json(
      await removeGroupMembers(c.get('services'), c.get('actor'), { ...params, accountIds, ip: clientIp(c) }),
      200,
    );
  });
