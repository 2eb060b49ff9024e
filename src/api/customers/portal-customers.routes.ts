import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ZOrgId } from '#src/api/directory/directory.schemas.ts';
import type { PortalCustomerRow } from '#src/db/queries/customers/portal-customers.queries.ts';
import type { CustomerTarget } from '#src/domain/customers/customer-admin-change.ts';
import { CUSTOMER_STATUSES } from '#src/domain/customers/customer-status.ts';
import { deletePortalCustomer } from '#src/domain/customers/delete-portal-customer.ts';
import { getPortalCustomerForAdmin, listPortalCustomers } from '#src/domain/customers/get-portal-customer.ts';
import { grantPortalCustomer, revokePortalCustomer } from '#src/domain/customers/revoke-portal-customer.ts';
import { changeCustomerPassword, editCustomerName } from '#src/domain/customers/update-portal-customer.ts';
import type { SiteTenant, UseCaseContext } from '#src/domain/use-case.ts';
import { clientIp } from '#src/web/client-ip.ts';
import { type AppEnv, createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import {
  AUTHENTICATED,
  cursorPage,
  cursorPageResponse,
  decodeCursor,
  errorResponses,
  jsonBody,
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
    200: cursorPageResponse('A page of customers', ZPortalCustomer),
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
    body: jsonBody(z.object({ password: z.string().min(12).max(256).describe('The new password.') })),
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
    body: jsonBody(
      z.object({ displayName: z.string().trim().min(1).max(255).describe('The new full name.') }),
    ),
  },
  responses: { 200: ONE, ...errorResponses(ZAdminError, [400, 401, 403, 404, 409, 410]) },
});

/** A body-less admin action on one customer, answered with the customer as it now is. */
const customerActionRoute = <M extends 'post' | 'delete', P extends string>(
  method: M,
  path: P,
  summary: string,
  description: string,
) =>
  createRoute({
    method,
    path,
    tags: TAGS,
    summary,
    description,
    security: AUTHENTICATED,
    request: { params: ZCustomerParams },
    responses: { 200: ONE, ...errorResponses(ZAdminError, [401, 403, 404, 409, 410]) },
  });

const revokeRoute = customerActionRoute(
  'post',
  `${BASE}/{customerId}/revoke-access`,
  'Revoke portal access',
  'The customer is shown as "Name (Deactivated)", cannot log in, and every session ends. Reversible.',
);

const grantRoute = customerActionRoute(
  'post',
  `${BASE}/{customerId}/grant-access`,
  'Grant portal access again',
  'Reactivates a revoked customer; every reference was kept.',
);

const deleteRoute = customerActionRoute(
  'delete',
  `${BASE}/{customerId}`,
  'Delete a portal-only customer (irreversible)',
  'Erases email, name and password; the customer shows as "Former user (Deactivated)" everywhere and can never be restored. Requests stay.',
);

type CustomerAction = (ctx: UseCaseContext<SiteTenant>, target: CustomerTarget) => Promise<PortalCustomerRow>;

/** Runs an admin action on the customer of the path and presents the customer as it now is. */
async function customerAfter(
  c: Context<AppEnv>,
  params: z.infer<typeof ZCustomerParams>,
  action: CustomerAction,
): Promise<{ data: z.infer<typeof ZPortalCustomer> }> {
  const { orgId, siteId, customerId } = params;
  const customer = await action(useCaseContext(c, { orgId, siteId }), { customerId, ip: clientIp(c) });
  return { data: presentPortalCustomer(customer, params.orgId) };
}

export const portalCustomersRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { orgId, siteId } = c.req.valid('param');
    const { cursor, limit, query, status } = c.req.valid('query');
    const rows = await listPortalCustomers(useCaseContext(c, { orgId, siteId }), {
      query,
      statuses: status ? [status] : undefined,
      afterId: decodeCursor(cursor),
      limit: limit + 1,
    });
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
    const params = c.req.valid('param');
    const { orgId, siteId, customerId } = params;
    const { customer, accountTwin } = await getPortalCustomerForAdmin(useCaseContext(c, { orgId, siteId }), {
      customerId,
    });
    return c.json({ data: presentPortalCustomer(customer, params.orgId, accountTwin) }, 200);
  })
  .openapi(passwordRoute, async (c) => {
    const { password } = c.req.valid('json');
    const change: CustomerAction = (ctx, target) => changeCustomerPassword(ctx, { ...target, password });
    return c.json(await customerAfter(c, c.req.valid('param'), change), 200);
  })
  .openapi(nameRoute, async (c) => {
    const { displayName } = c.req.valid('json');
    const change: CustomerAction = (ctx, target) => editCustomerName(ctx, { ...target, displayName });
    return c.json(await customerAfter(c, c.req.valid('param'), change), 200);
  })
  .openapi(revokeRoute, async (c) =>
    c.json(await customerAfter(c, c.req.valid('param'), revokePortalCustomer), 200),
  )
  .openapi(grantRoute, async (c) =>
    c.json(await customerAfter(c, c.req.valid('param'), grantPortalCustomer), 200),
  )
  .openapi(deleteRoute, async (c) =>
    c.json(await customerAfter(c, c.req.valid('param'), deletePortalCustomer), 200),
  );
