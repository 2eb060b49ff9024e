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
import { listOrgGroups } from '#src/domain/directory/list-groups.ts';
import { listOrgUsers } from '#src/domain/directory/list-org-users.ts';
import { assertCan } from '#src/domain/policies/can.ts';
import { AppError } from '#src/shared/errors.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { ZOrgId } from './directory.schemas.ts';

/**
 * Admin API v2 directory reads. An org has one directory, whose id is the org id (Atlassian's centralized
 * experience); these answer in v2's camelCase shapes with cursor pages.
 */

const TAGS = ['Admin: directory'];

const ZDirectoryParams = z.object({
  orgId: ZOrgId,
  directoryId: z
    .string()
    .min(1)
    .max(64)
    .openapi({
      param: { name: 'directoryId', in: 'path' },
      description: 'Directory id: the org id, or `-` for every directory of the org',
    }),
});

const ZDirectory = z
  .object({ directoryId: z.string(), name: z.string(), links: z.object({ self: z.string() }) })
  .openapi('Directory');

const ZDirectoryUser = z
  .object({
    accountId: z.string(),
    accountType: z.enum(['atlassian', 'app', 'customer']),
    accountStatus: z.enum(['active', 'inactive', 'closed']),
    membershipStatus: z.enum(['active', 'suspended', 'no_membership']),
    name: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    links: z.object({ self: z.string() }),
  })
  .openapi('DirectoryUser');

const ZDirectoryGroup = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    links: z.object({ self: z.string() }),
  })
  .openapi('DirectoryGroup');

const listDirectoriesRoute = createRoute({
  method: 'get',
  path: '/admin/v2/orgs/{orgId}/directories',
  tags: TAGS,
  summary: 'List the directories of an organization (v2)',
  description: 'One directory per organization; its id is the org id.',
  security: AUTHENTICATED,
  request: { params: z.object({ orgId: ZOrgId }) },
  responses: {
    200: cursorPageResponse('The directories', ZDirectory),
    ...errorResponses(ZAdminError, [401, 403, 404]),
  },
});

const listUsersRoute = createRoute({
  method: 'get',
  path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/users',
  tags: TAGS,
  summary: 'List the users of a directory (v2)',
  description:
    'Accounts with a membership in the org, by account id, in cursor pages. The v2 filters (accountStatus, membershipStatus, claimStatus, …) are not supported yet.',
  security: AUTHENTICATED,
  request: { params: ZDirectoryParams, query: ZCursorQuery },
  responses: {
    200: cursorPageResponse('A page of users', ZDirectoryUser),
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const listGroupsRoute = createRoute({
  method: 'get',
  path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/groups',
  tags: TAGS,
  summary: 'List the groups of a directory (v2)',
  description: 'Groups by name, in cursor pages.',
  security: AUTHENTICATED,
  request: { params: ZDirectoryParams, query: ZCursorQuery },
  responses: {
    200: cursorPageResponse('A page of groups', ZDirectoryGroup),
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

/** The org's one directory; any other id is not found. */
function assertDirectory(orgId: string, directoryId: string): void {
  // Atlassian's `-` means every directory of the organization; Gatehouse has one, named by the org id.
  if (directoryId !== '-' && orgId !== directoryId)
    throw new AppError('directory.org_not_found', `No directory ${directoryId} in this organization.`);
}

export const directoriesRoutes = createRouter()
  .openapi(listDirectoriesRoute, async (c) => {
    const { db } = c.get('services');
    const org = await assertCan(db, c.get('actor'), 'org.directory.view', {
      orgId: c.req.valid('param').orgId,
    });
    const self = `/admin/v2/orgs/${org.id}/directories`;
    return c.json(
      {
        data: [{ directoryId: org.id, name: org.name, links: { self: `${self}/${org.id}/users` } }],
        links: { self },
      },
      200,
    );
  })
  .openapi(listUsersRoute, async (c) => {
    const { orgId, directoryId } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    const { org, users: rows } = await listOrgUsers(useCaseContext(c, { orgId }), {
      permission: 'org.directory.view',
      afterAccountId: decodeCursor(cursor),
      limit: limit + 1,
    });
    assertDirectory(org.id, directoryId);
    return c.json(
      cursorPage(
        rows,
        limit,
        (row) => row.account.id,
        ({ account, membershipStatus }) => ({
          accountId: account.id,
          accountType: 'atlassian' as const,
          accountStatus: account.status,
          membershipStatus,
          name: account.name,
          email: account.email,
          emailVerified: account.emailVerifiedAt !== null,
          links: { self: `/admin/v1/orgs/${org.id}/directory/users/${account.id}` },
        }),
        new URL(c.req.url),
      ),
      200,
    );
  })
  .openapi(listGroupsRoute, async (c) => {
    const { orgId, directoryId } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    const { org, groups: rows } = await listOrgGroups(useCaseContext(c, { orgId }), {
      permission: 'org.directory.view',
      afterName: decodeCursor(cursor),
      limit: limit + 1,
    });
    assertDirectory(org.id, directoryId);
    return c.json(
      cursorPage(
        rows,
        limit,
        (row) => row.group.name.toLowerCase(),
        ({ group }) => ({
          id: group.id,
          name: group.name,
          description: group.description,
          links: { self: `/admin/v1/orgs/${org.id}/groups/${group.id}` },
        }),
        new URL(c.req.url),
      ),
      200,
    );
  });
