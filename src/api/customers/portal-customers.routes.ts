import { createRoute, z } from '@hono/zod-openapi';
import { CUSTOMER_STATUSES } from '#src/db/schema/index.ts';
import { deletePortalCustomer } from '#src/domain/customers/delete-portal-customer.ts';
import { getPortalCustomerForAdmin, listPortalCustomers } from '#src/domain/customers/get-portal-customer.ts';
import { grantPortalCustomer, revokePortalCustomer } from '#src/domain/customers/revoke-portal-customer.ts';
import { changeCustomerPassword, editCustomerName } from '#src/domain/customers/update-portal-customer.ts';
import { ZOrgId } from '../admin/admin.schemas.ts';
import { clientIp } from '../auth/client-ip.ts';
import { createRouter } from '../http.ts';
import {
  AUTHENTICATED,
  cursorPage,
  decodeCursor,
  errorResponses,
  ZAdminError,
  ZCursorQuery,
} from '../pagination.ts';
import { presentPortalCustomer, ZPortalCustomer } from './customer.presenter.ts';
import { ZCustomerIdParam, ZSiteIdParam } from './customers.schemas.ts';

const BASE = '/admin/v1/orgs/{orgId}/sites/{siteId}/portal-only-customers';
const TAGS = ['Admin: portal-only customers'];
const ZSiteParams = z.object({ orgId: ZOrgId, siteId: ZSiteIdParam });
const ZCustomerParams = ZSiteParams.extend({ customerId: ZCustomerIdParam });
const ONE = {
  description: 'The customer after the change',
  content: { 'application/json': { schema: z.object({ data: ZPortalCustomer }) } },
};

const listRoute = createRoute({
  method: 'get',
  path: BASE,
  tags: TAGS,
  summary: "List a site's portal-only customers",
  description:
    'Search matches email and name (case-insensitive substring). Deleted customers are listed only with `status=deleted` and never match a search. Cursor pages. Centralized: org admins; original: org admins and the site admins.',
  security: AUTHENTICATED,
  request: {
    params: ZSiteParams,
    query: ZCursorQuery.extend({
      query: z.string().max(200).optional().openapi({ description: 'Part of an email or a name.' }),
      status: z
        .enum(CUSTOMER_STATUSES)
        .optional()
        .openapi({ description: 'Only customers in this status (default: all but deleted).' }),
    }),
  },
  responses: {
    200: {
      description: 'A page of customers',
      content: {
        'application/json': {
          schema: z.object({
            data: z.array(ZPortalCustomer),
            links: z.object({ self: z.string(), next: z.string().optional() }),
          }),
        },
      },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: `${BASE}/{customerId}`,
  tags: TAGS,
  summary: 'Get a portal-only customer',
  description:
    'With `accountTwin` when an account shares the email (case-insensitive): the prompt to migrate the customer to it.',
  security: AUTHENTICATED,
  request: { params: ZCustomerParams },
  responses: {
    200: { ...ONE, description: 'The customer' },
    ...errorResponses(ZAdminError, [401, 403, 404]),
  },
});

const passwordRoute = createRoute({
  method: 'put',
  path: `${BASE}/{customerId}/password`,
  tags: TAGS,
  summary: "Change a portal-only customer's password",
  description: "Sets a new password (12 to 256 characters) and ends the customer's sessions.",
  security: AUTHENTICATED,
  request: {
    params: ZCustomerParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ password: z.string().min(12).max(256).describe('The new password.') }),
        },
      },
    },
  },
  responses: { 200: ONE, ...errorResponses(ZAdminError, [400, 401, 403, 404, 409, 410]) },
});

const nameRoute = createRoute({
  method: 'put',
  path: `${BASE}/{customerId}/name`,
  tags: TAGS,
  summary: "Edit a portal-only customer's full name",
  description: 'The new name applies on every service project of the site.',
  security: AUTHENTICATED,
  request: {
    params: ZCustomerParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ displayName: z.string().trim().min(1).max(255).describe('The new full name.') }),
        },
      },
    },
  },
  responses: { 200: ONE, ...errorResponses(ZAdminError, [400, 401, 403, 404, 409, 410]) },
});

const revokeRoute = createRoute({
  method: 'post',
  path: `${BASE}/{customerId}/revoke-access`,
  tags: TAGS,
  summary: 'Revoke portal access',
  description:
    'The customer is shown as "Name (Deactivated)", cannot log in, and every session ends. Reversible.',
  security: AUTHENTICATED,
  request: { params: ZCustomerParams },
  responses: { 200: ONE, ...errorResponses(ZAdminError, [401, 403, 404, 409, 410]) },
});

const grantRoute = createRoute({
  method: 'post',
  path: `${BASE}/{customerId}/grant-access`,
  tags: TAGS,
  summary: 'Grant portal access again',
  description: 'Reactivates a revoked customer; every reference was kept.',
  security: AUTHENTICATED,
  request: { params: ZCustomerParams },
  responses: { 200: ONE, ...errorResponses(ZAdminError, [401, 403, 404, 409, 410]) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: `${BASE}/{customerId}`,
  tags: TAGS,
  summary: 'Delete a portal-only customer (irreversible)',
  description:
    'Erases email, name and password; the customer shows as "Former user (Deactivated)" everywhere and can never be restored. Requests stay.',
  security: AUTHENTICATED,
  request: { params: ZCustomerParams },
  responses: { 200: ONE, ...errorResponses(ZAdminError, [401, 403, 404, 409, 410]) },
});

export const portalCustomersRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { db } = c.get('services');
    const { orgId, siteId } = c.req.valid('param');
    const { cursor, limit, query, status } = c.req.valid('query');
    const rows = await listPortalCustomers(
      db,
      c.get('actor'),
      { orgId, siteId },
      { query, statuses: status ? [status] : undefined, afterId: decodeCursor(cursor), limit: limit + 1 },
    );
    const page = cursorPage(
      rows,
      limit,
      (row) => row.id,
      (row) => presentPortalCustomer(row, orgId),
      new URL(c.req.url),
    );
    return c.json(page, 200);
  })
  .openapi(getRoute, async (c) => {
    const { db } = c.get('services');
    const params = c.req.valid('param');
    const { customer, accountTwin } = await getPortalCustomerForAdmin(db, c.get('actor'), params);
    return c.json({ data: presentPortalCustomer(customer, params.orgId, accountTwin) }, 200);
  })
  .openapi(passwordRoute, async (c) => {
    const params = c.req.valid('param');
    const { password } = c.req.valid('json');
    const customer = await changeCustomerPassword(c.get('services'), c.get('actor'), {
      ...params,
      password,
      ip: clientIp(c),
    });
    return c.json({ data: presentPortalCustomer(customer, params.orgId) }, 200);
  })
  .openapi(nameRoute, async (c) => {
    const params = c.req.valid('param');
    const { displayName } = c.req.valid('json');
    const customer = await editCustomerName(c.get('services'), c.get('actor'), {
      ...params,
      displayName,
      ip: clientIp(c),
    });
    return c.json({ data: presentPortalCustomer(customer, params.orgId) }, 200);
  })
  .openapi(revokeRoute, async (c) => {
    const params = c.req.valid('param');
    const customer = await revokePortalCustomer(c.get('services'), c.get('actor'), {
      ...params,
      ip: clientIp(c),
    });
    return c.json({ data: presentPortalCustomer(customer, params.orgId) }, 200);
  })
  .openapi(grantRoute, async (c) => {
    const params = c.req.valid('param');
    const customer = await grantPortalCustomer(c.get('services'), c.get('actor'), {
      ...params,
      ip: clientIp(c),
    });
    return c.json({ data: presentPortalCustomer(customer, params.orgId) }, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const params = c.req.valid('param');
    const customer = await deletePortalCustomer(c.get('services'), c.get('actor'), {
      ...params,
      ip: clientIp(c),
    });
    return c.json({ data: presentPortalCustomer(customer, params.orgId) }, 200);
  });
