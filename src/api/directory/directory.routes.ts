import { createRoute, z } from '@hono/zod-openapi';
import { AUTHENTICATED, errorResponses, jsonBody, ZAdminError } from '#src/api/pagination.ts';
import { grantAdminRole, revokeAdminRole } from '#src/domain/directory/admin-roles.ts';
import { grantProductAccess } from '#src/domain/directory/grant-product-access.ts';
import { removeUserFromOrg } from '#src/domain/directory/remove-user.ts';
import { authorizeProductAccess, revokeProductAccess } from '#src/domain/directory/revoke-product-access.ts';
import { setSiteAccess } from '#src/domain/directory/site-access.ts';
import { restoreUser, suspendUser } from '#src/domain/directory/suspend-user.ts';
import { getUserDetail, type UserDetail } from '#src/domain/directory/user-detail.ts';
import { AppError } from '#src/shared/errors.ts';
import { clientIp } from '#src/web/client-ip.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { ZOrgId } from './directory.schemas.ts';

const TAGS = ['Admin: directory'];
const ZAccountId = z
  .string()
  .min(1)
  .max(64)
  .openapi({ param: { name: 'accountId', in: 'path' }, description: 'Account id' });
const ZDirectoryId = z
  .string()
  .min(1)
  .max(64)
  .openapi({
    param: { name: 'directoryId', in: 'path' },
    description: 'Directory id (an org has one: its org id)',
  });
const ZUserParams = z.object({ orgId: ZOrgId, accountId: ZAccountId });
const ZV2UserParams = ZUserParams.extend({ directoryId: ZDirectoryId });
const ZMessage = z.object({ message: z.string() }).openapi('GenericActionSuccess');
const MESSAGE = { description: 'Done', content: { 'application/json': { schema: ZMessage } } };

/** One directory per org: its id is the org id; anything else is not found. */
function assertDirectory(orgId: string, directoryId: string) {
  if (orgId !== directoryId)
    throw new AppError('directory.org_not_found', `No directory ${directoryId} in this organization.`);
}

const suspendV1 = createRoute({
  method: 'post',
  path: '/admin/v1/orgs/{orgId}/directory/users/{accountId}/suspend-access',
  tags: TAGS,
  summary: "Suspend a user's access",
  description:
    'Centralized user management only (original → 400 `directory.wrong_experience`). The user keeps groups and roles, uses no seat, and cannot use the org’s products until restored.',
  security: AUTHENTICATED,
  request: { params: ZUserParams },
  responses: { 200: MESSAGE, ...errorResponses(ZAdminError, [400, 401, 403, 404, 409]) },
});
const restoreV1 = createRoute({
  method: 'post',
  path: '/admin/v1/orgs/{orgId}/directory/users/{accountId}/restore-access',
  tags: TAGS,
  summary: "Restore a user's access",
  description: 'Centralized only. Gives a suspended user back their access, groups and roles.',
  security: AUTHENTICATED,
  request: { params: ZUserParams },
  responses: { 200: MESSAGE, ...errorResponses(ZAdminError, [400, 401, 403, 404]) },
});
const suspendV2 = createRoute({
  method: 'post',
  path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/suspend',
  tags: TAGS,
  summary: 'Suspend a user (v2)',
  description: 'Same as v1 `suspend-access`; the org has one directory whose id is the org id.',
  security: AUTHENTICATED,
  request: { params: ZV2UserParams },
  responses: { 200: MESSAGE, ...errorResponses(ZAdminError, [400, 401, 403, 404, 409]) },
});
const restoreV2 = createRoute({
  method: 'post',
  path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/restore',
  tags: TAGS,
  summary: 'Restore a user (v2)',
  description: 'Same as v1 `restore-access`.',
  security: AUTHENTICATED,
  request: { params: ZV2UserParams },
  responses: { 200: MESSAGE, ...errorResponses(ZAdminError, [400, 401, 403, 404]) },
});
const removeV1 = createRoute({
  method: 'delete',
  path: '/admin/v1/orgs/{orgId}/directory/users/{accountId}',
  tags: TAGS,
  summary: 'Remove a user from the organization',
  description:
    'Removes the membership, group memberships, admin roles and site access; the account itself stays. The last org admin cannot be removed (409).',
  security: AUTHENTICATED,
  request: { params: ZUserParams },
  responses: { 200: MESSAGE, ...errorResponses(ZAdminError, [401, 403, 404, 409]) },
});
const removeV2 = createRoute({
  method: 'delete',
  path: '/admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}',
  tags: TAGS,
  summary: 'Remove a user from the directory (v2)',
  description: 'Same as the v1 remove.',
  security: AUTHENTICATED,
  request: { params: ZV2UserParams },
  responses: { 200: MESSAGE, ...errorResponses(ZAdminError, [401, 403, 404, 409]) },
});

export const ZUserDetail = z
  .object({
    account_id: z.string(),
    name: z.string(),
    email: z.string(),
    email_verified: z.boolean(),
    account_status: z.enum(['active', 'inactive', 'closed']),
    membership_status: z.enum(['active', 'suspended']),
    product_access: z.array(
      z.object({
        product_id: z.string(),
        key: z.string(),
        name: z.string(),
        site_id: z.string(),
        role: z.string(),
        seats: z.object({ used: z.number().int(), limit: z.number().int() }),
      }),
    ),
    groups: z.array(z.object({ id: z.string(), name: z.string() })),
    admin_roles: z.array(z.object({ role: z.string(), site_id: z.string().nullable() })),
    site_access: z
      .array(z.object({ site_id: z.string(), site_name: z.string(), has_access: z.boolean() }))
      .describe('Original experience: the per-site "Has access on site" toggle.'),
    portalOnlyTwins: z
      .array(
        z.object({
          customerId: z.string(),
          siteId: z.string(),
          siteName: z.string(),
          displayName: z.string(),
          status: z.string(),
        }),
      )
      .describe('Live portal-only customers with the same email: migrate them to this account.'),
    links: z.object({ self: z.string() }),
  })
  .openapi('UserDetail');

function presentUserDetail(orgId: string, d: UserDetail): z.infer<typeof ZUserDetail> {
  return {
    account_id: d.account.id,
    name: d.account.name,
    email: d.account.email,
    email_verified: d.account.emailVerifiedAt !== null,
    account_status: d.account.status,
    membership_status: d.membershipStatus,
    product_access: d.productAccess.map((p) => ({
      product_id: p.productId,
      key: p.productKey,
      name: p.productName,
      site_id: p.siteId,
      role: p.role,
      seats: { used: p.seatsUsed, limit: p.seatLimit },
    })),
    groups: d.groups,
    admin_roles: d.adminRoles.map((r) => ({ role: r.role, site_id: r.siteId })),
    site_access: d.siteAccess.map((s) => ({
      site_id: s.siteId,
      site_name: s.siteName,
      has_access: s.hasAccess,
    })),
    portalOnlyTwins: d.portalOnlyTwins,
    links: { self: `/admin/v1/orgs/${orgId}/directory/users/${d.account.id}` },
  };
}

const detailRoute = createRoute({
  method: 'get',
  path: '/admin/v1/orgs/{orgId}/directory/users/{accountId}',
  tags: TAGS,
  summary: 'Get a user of the organization',
  description:
    'Status, membership, product access with seats, groups, admin roles, site access per site, and `portalOnlyTwins` (the migration prompt when portal-only customers share the email).',
  security: AUTHENTICATED,
  request: { params: ZUserParams },
  responses: {
    200: {
      description: 'The user',
      content: { 'application/json': { schema: z.object({ data: ZUserDetail }) } },
    },
    ...errorResponses(ZAdminError, [401, 403, 404]),
  },
});

const siteAccessRoute = createRoute({
  method: 'put',
  path: '/admin/v1/orgs/{orgId}/sites/{siteId}/users/{accountId}/site-access',
  tags: TAGS,
  summary: 'Set "Has access on site"',
  description:
    'Original user management only (centralized → 400 `directory.wrong_experience`): org admins and that site’s admins.',
  security: AUTHENTICATED,
  request: {
    params: ZUserParams.extend({
      siteId: z
        .string()
        .min(1)
        .max(64)
        .openapi({ param: { name: 'siteId', in: 'path' }, description: 'Site id' }),
    }),
    body: jsonBody(z.object({ hasAccess: z.boolean().describe('Whether the user has access on the site.') })),
  },
  responses: {
    200: {
      description: 'The new setting',
      content: {
        'application/json': {
          schema: z.object({ siteId: z.string(), accountId: z.string(), hasAccess: z.boolean() }),
        },
      },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const ZProductAccessBody = z.object({
  productId: z.string().min(1).max(64).describe('Product id (see `GET /admin/v1/orgs/{orgId}/products`).'),
  role: z.enum(['customer', 'user', 'admin']).describe('Product role; anything but `customer` uses a seat.'),
});
const productAccessBody = {
  required: true,
  content: { 'application/json': { schema: ZProductAccessBody } },
};
const grantProductRoute = createRoute({
  method: 'post',
  path: '/admin/v1/orgs/{orgId}/users/{accountId}/product-access',
  tags: TAGS,
  summary: 'Grant product access',
  description:
    'Adds the user to the role’s default group. A billable role needs a free seat: 409 `directory.no_seats_left` when the licence is full.',
  security: AUTHENTICATED,
  request: { params: ZUserParams, body: productAccessBody },
  responses: {
    200: {
      description: 'Granted; seats of the product after the grant',
      content: {
        'application/json': {
          schema: z.object({ seatsUsed: z.number().int(), seatLimit: z.number().int() }),
        },
      },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404, 409]),
  },
});
const revokeProductRoute = createRoute({
  method: 'delete',
  path: '/admin/v1/orgs/{orgId}/users/{accountId}/product-access',
  tags: TAGS,
  summary: 'Revoke product access',
  description: 'Removes the user from every group of the product that grants the role; frees the seat.',
  security: AUTHENTICATED,
  request: { params: ZUserParams, body: productAccessBody },
  responses: {
    200: {
      description: 'Revoked',
      content: { 'application/json': { schema: z.object({ removedFromGroups: z.number().int() }) } },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const ZAdminRoleBody = z
  .object({
    role: z.enum(['org_admin', 'site_admin']).describe('Admin role.'),
    siteId: z.string().min(1).max(64).optional().describe('Required for site_admin.'),
  })
  .refine((b) => b.role !== 'site_admin' || b.siteId !== undefined, {
    path: ['siteId'],
    message: 'Required for site_admin',
  });
const adminRoleBody = { required: true, content: { 'application/json': { schema: ZAdminRoleBody } } };
const grantRoleRoute = createRoute({
  method: 'post',
  path: '/admin/v1/orgs/{orgId}/users/{accountId}/admin-roles',
  tags: TAGS,
  summary: 'Grant an admin role',
  description: 'Org admin or site admin of one site. Only org admins may grant admin roles.',
  security: AUTHENTICATED,
  request: { params: ZUserParams, body: adminRoleBody },
  responses: { 200: MESSAGE, ...errorResponses(ZAdminError, [400, 401, 403, 404]) },
});
const revokeRoleRoute = createRoute({
  method: 'delete',
  path: '/admin/v1/orgs/{orgId}/users/{accountId}/admin-roles',
  tags: TAGS,
  summary: 'Revoke an admin role',
  description: 'The last active org admin cannot lose the role (409 `directory.last_org_admin`).',
  security: AUTHENTICATED,
  request: { params: ZUserParams, body: adminRoleBody },
  responses: { 200: MESSAGE, ...errorResponses(ZAdminError, [400, 401, 403, 404, 409]) },
});

export const directoryRoutes = createRouter()
  .openapi(suspendV1, async (c) =>
    c.json(
      await suspendUser(useCaseContext(c, { orgId: c.req.valid('param').orgId }), {
        ...c.req.valid('param'),
        ip: clientIp(c),
      }),
      200,
    ),
  )
  .openapi(restoreV1, async (c) =>
    c.json(
      await restoreUser(useCaseContext(c, { orgId: c.req.valid('param').orgId }), {
        ...c.req.valid('param'),
        ip: clientIp(c),
      }),
      200,
    ),
  )
  .openapi(suspendV2, async (c) => {
    const { orgId, directoryId, accountId } = c.req.valid('param');
    assertDirectory(orgId, directoryId);
    return c.json(await suspendUser(useCaseContext(c, { orgId }), { accountId, ip: clientIp(c) }), 200);
  })
  .openapi(restoreV2, async (c) => {
    const { orgId, directoryId, accountId } = c.req.valid('param');
    assertDirectory(orgId, directoryId);
    return c.json(await restoreUser(useCaseContext(c, { orgId }), { accountId, ip: clientIp(c) }), 200);
  })
  .openapi(removeV1, async (c) =>
    c.json(
      await removeUserFromOrg(useCaseContext(c, { orgId: c.req.valid('param').orgId }), {
        ...c.req.valid('param'),
        ip: clientIp(c),
      }),
      200,
    ),
  )
  .openapi(removeV2, async (c) => {
    const { orgId, directoryId, accountId } = c.req.valid('param');
    assertDirectory(orgId, directoryId);
    return c.json(await removeUserFromOrg(useCaseContext(c, { orgId }), { accountId, ip: clientIp(c) }), 200);
  })
  .openapi(detailRoute, async (c) => {
    const params = c.req.valid('param');
    const detail = await getUserDetail(useCaseContext(c, { orgId: params.orgId }), params);
    return c.json({ data: presentUserDetail(params.orgId, detail) }, 200);
  })
  .openapi(siteAccessRoute, async (c) => {
    const params = c.req.valid('param');
    const { hasAccess } = c.req.valid('json');
    return c.json(
      await setSiteAccess(useCaseContext(c, { orgId: params.orgId }), {
        ...params,
        hasAccess,
        ip: clientIp(c),
      }),
      200,
    );
  })
  .openapi(grantProductRoute, async (c) => {
    const services = c.get('services');
    const { orgId, accountId } = c.req.valid('param');
    const body = c.req.valid('json');
    await authorizeProductAccess(useCaseContext(c, { orgId }), { productId: body.productId });
    return c.json(await grantProductAccess(services, c.get('actor'), { orgId, accountId, ...body }), 200);
  })
  .openapi(revokeProductRoute, async (c) => {
    const { orgId, accountId } = c.req.valid('param');
    const body = c.req.valid('json');
    await authorizeProductAccess(useCaseContext(c, { orgId }), { productId: body.productId });
    return c.json(
      await revokeProductAccess(useCaseContext(c, { orgId }), { accountId, ...body, ip: clientIp(c) }),
      200,
    );
  })
  .openapi(grantRoleRoute, async (c) => {
    const params = c.req.valid('param');
    const body = c.req.valid('json');
    await grantAdminRole(useCaseContext(c, { orgId: params.orgId }), { ...params, ...body, ip: clientIp(c) });
    return c.json({ message: `Granted ${body.role}.` }, 200);
  })
  .openapi(revokeRoleRoute, async (c) => {
    const params = c.req.valid('param');
    const body = c.req.valid('json');
    const { removed } = await revokeAdminRole(useCaseContext(c, { orgId: params.orgId }), {
      ...params,
      ...body,
      ip: clientIp(c),
    });
    return c.json(
      { message: removed ? `Revoked ${body.role}.` : `The user did not hold ${body.role}.` },
      200,
    );
  });
