import { createRoute, z } from '@hono/zod-openapi';
import {
  AUTHENTICATED,
  cursorPage,
  decodeCursor,
  errorResponses,
  ZAdminError,
  ZCursorQuery,
} from '#src/api/pagination.ts';
import { listOrgUsers } from '#src/domain/directory/list-org-users.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { ZOrgId } from './directory.schemas.ts';

export const ZOrgUser = z
  .object({
    account_id: z.string(),
    account_type: z.enum(['atlassian', 'app', 'customer']),
    account_status: z.enum(['active', 'inactive', 'closed']),
    membership_status: z
      .enum(['active', 'suspended'])
      .describe('Gatehouse extension: org membership status.'),
    name: z.string(),
    picture: z.string().nullable(),
    email: z.string(),
    email_verified: z.boolean(),
    access_billable: z.boolean(),
    last_active: z.string().nullable(),
    product_access: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        url: z.string(),
        role: z.string(),
        last_active: z.string().nullable(),
      }),
    ),
    links: z.object({ self: z.string() }),
  })
  .openapi('OrgUser');

const listUsers = createRoute({
  method: 'get',
  path: '/admin/v1/orgs/{orgId}/users',
  tags: ['Admin: users'],
  summary: 'List users of an organization',
  description:
    'Accounts with a membership in the org, with their product access. Cursor pages (`links.next`).',
  security: AUTHENTICATED,
  request: { params: z.object({ orgId: ZOrgId }), query: ZCursorQuery },
  responses: {
    200: {
      description: 'A page of users',
      content: {
        'application/json': {
          schema: z.object({
            data: z.array(ZOrgUser),
            links: z.object({ self: z.string(), next: z.string().optional() }),
            meta: z.object({ total: z.number().int() }),
          }),
        },
      },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

export const usersRoutes = createRouter().openapi(listUsers, async (c) => {
  const { config } = c.get('services');
  const { orgId } = c.req.valid('param');
  const { cursor, limit } = c.req.valid('query');
  const { org, users, total } = await listOrgUsers(useCaseContext(c, { orgId }), {
    permission: 'org.directory.view',
    afterAccountId: decodeCursor(cursor),
    limit: limit + 1,
    withTotal: true,
    withProductAccess: true,
  });
  const page = cursorPage(
    users,
    limit,
    (row) => row.account.id,
    ({ account, membershipStatus, productAccess, billable }) => {
      return {
        account_id: account.id,
        account_type: 'atlassian' as const,
        account_status: account.status,
        membership_status: membershipStatus,
        name: account.name,
        picture: null,
        email: account.email,
        email_verified: account.emailVerifiedAt !== null,
        access_billable: billable,
        last_active: null,
        product_access: productAccess.map((r) => ({
          key: r.productKey,
          name: r.productName,
          url: `${config.BASE_URL}/sites/${r.siteName}`,
          role: r.role ?? 'user',
          last_active: null,
        })),
        links: { self: `/admin/v1/orgs/${org.id}/directory/users/${account.id}` },
      };
    },
    new URL(c.req.url),
  );
  return c.json({ ...page, meta: { total: total ?? 0 } }, 200);
});
