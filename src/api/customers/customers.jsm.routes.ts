import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createCustomerByAdmin } from '#src/domain/customers/create-customer-by-admin.ts';
import { grantPortalCustomer, revokePortalCustomer } from '#src/domain/customers/revoke-portal-customer.ts';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { customerPerson } from '#src/domain/servicedesk/people.ts';
import { clientIp } from '#src/web/client-ip.ts';
import { type AppEnv, createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, jsonBody, ZJsmError } from '../pagination.ts';
import { presentUser } from '../servicedesk/jsm.presenters.ts';
import { ZUserDTO } from '../servicedesk/jsm.schemas.ts';
import { ZSiteNameParam } from './customers.schemas.ts';

const TAGS = ['JSM: customers'];
const BASE = '/sites/{site}/rest/servicedeskapi';

const createCustomerRoute = createRoute({
  method: 'post',
  path: `${BASE}/customer`,
  tags: TAGS,
  summary: 'Create a portal-only customer',
  description:
    'Creates a customer not tied to any service project (Jira administrators of the site). An existing email answers 400, or 409 with `strictConflictStatusCode=true`.',
  security: AUTHENTICATED,
  request: {
    params: z.object({ site: ZSiteNameParam }),
    query: z.object({
      strictConflictStatusCode: z
        .enum(['true', 'false'])
        .optional()
        .openapi({ description: 'Answer 409 instead of 400 when the email exists.' }),
    }),
    body: jsonBody(
      z
        .object({
          email: z.email().max(254).describe("The customer's email address."),
          displayName: z.string().trim().min(1).max(255).optional().describe('Name shown everywhere.'),
          fullName: z.string().trim().min(1).max(255).optional().describe('Deprecated alias of displayName.'),
        })
        .openapi('CustomerCreateDTO'),
    ),
  },
  responses: {
    201: { description: 'The new customer', content: { 'application/json': { schema: ZUserDTO } } },
    ...errorResponses(ZJsmError, [400, 401, 403, 404, 409]),
  },
});

const ZAccessParams = z.object({
  site: ZSiteNameParam,
  accountId: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: 'accountId', in: 'path' }, description: 'Portal-only customer id (`qm:…`)' }),
});

const revokeRoute = createRoute({
  method: 'put',
  path: `${BASE}/customer/user/{accountId}/revoke-portal-only-access`,
  tags: TAGS,
  summary: 'Revoke portal-only access',
  description:
    'The customer cannot submit or view requests through the portal afterwards; shown as "Name (Deactivated)". Sessions end at once.',
  security: AUTHENTICATED,
  request: { params: ZAccessParams },
  responses: {
    204: { description: 'Revoked' },
    ...errorResponses(ZJsmError, [401, 403, 404, 409, 410]),
  },
});

const grantRoute = createRoute({
  method: 'put',
  path: `${BASE}/customer/user/{accountId}/grant-portal-only-access`,
  tags: TAGS,
  summary: 'Grant portal-only access again',
  description: 'Gatehouse counterpart of revoke: reactivates a revoked customer.',
  security: AUTHENTICATED,
  request: { params: ZAccessParams },
  responses: {
    204: { description: 'Granted' },
    ...errorResponses(ZJsmError, [401, 403, 404, 409, 410]),
  },
});

/** Revokes or grants the access of the customer a JSM path names: the site by name, the customer by `qm:` id. */
async function changePortalAccess(
  c: Context<AppEnv>,
  params: z.infer<typeof ZAccessParams>,
  change: typeof revokePortalCustomer | typeof grantPortalCustomer,
): Promise<void> {
  const services = c.get('services');
  const site = await getSiteByName(services.db, params.site);
  await change(useCaseContext(c, { orgId: site.orgId, siteId: site.id }), {
    customerId: params.accountId,
    ip: clientIp(c),
  });
}

export const customersJsmRoutes = createRouter()
  .openapi(createCustomerRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName } = c.req.valid('param');
    const { strictConflictStatusCode } = c.req.valid('query');
    const body = c.req.valid('json');
    const site = await getSiteByName(services.db, siteName);
    const customer = await createCustomerByAdmin(useCaseContext(c, { orgId: site.orgId, siteId: site.id }), {
      email: body.email,
      displayName: body.displayName ?? body.fullName ?? body.email,
      strictConflict: strictConflictStatusCode === 'true',
    });
    return c.json(
      presentUser(`${services.config.BASE_URL}/sites/${site.name}`, customerPerson(customer)),
      201,
    );
  })
  .openapi(revokeRoute, async (c) => {
    await changePortalAccess(c, c.req.valid('param'), revokePortalCustomer);
    return c.body(null, 204);
  })
  .openapi(grantRoute, async (c) => {
    await changePortalAccess(c, c.req.valid('param'), grantPortalCustomer);
    return c.body(null, 204);
  });
