import { createRoute, z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { ZAccepted, ZEmail, ZPassword, ZToken } from '#src/api/accounts/auth.schemas.ts';
import { errorResponses, ZJsmError } from '#src/api/pagination.ts';
import type { PortalCustomerRow } from '#src/db/queries/customers/portal-customers.queries.ts';
import {
  customerLogin,
  customerLogout,
  customerSignUp,
  customerVerifyEmail,
  requestCustomerPasswordReset,
  resetCustomerPassword,
} from '#src/domain/customers/customer-auth.ts';
import { getSignedInCustomer } from '#src/domain/customers/get-portal-customer.ts';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { assertCustomerOnSite } from '#src/domain/policies/customer-site.ts';
import { AppError } from '#src/shared/errors.ts';
import { clientIp } from '#src/web/client-ip.ts';
import { createRouter } from '#src/web/http.ts';
import { issueSessionCookie, loginRequestContext, MAIL_ACCEPTED } from '#src/web/login-session.ts';
import { clearSessionCookie, SESSION_COOKIE, sessionOf } from '#src/web/session.ts';
import { useCaseContext } from '#src/web/use-case.ts';

const TAGS = ['Portal-only customers: authentication'];
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const ZSiteParam = z
  .string()
  .min(1)
  .max(100)
  .openapi({ param: { name: 'site', in: 'path' }, description: 'Site name' });
const params = z.object({ site: ZSiteParam });

const ZCustomerView = z
  .object({
    accountId: z.string().describe('The `qm:` id of the portal-only customer.'),
    emailAddress: z.string().nullable(),
    displayName: z.string(),
    timeZone: z.string(),
    siteId: z.string(),
  })
  .openapi('PortalCustomerSelf');

function presentCustomer(customer: PortalCustomerRow): z.infer<typeof ZCustomerView> {
  return {
    accountId: customer.id,
    emailAddress: customer.email,
    displayName: customer.displayName,
    timeZone: customer.timeZone,
    siteId: customer.siteId,
  };
}

const loginRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/rest/portal-auth/1/login',
  tags: TAGS,
  summary: 'Portal-only customer login',
  description:
    'Logs a portal-only customer in to this site’s help center only; the session (cookie `gh_session`) carries ' +
    'the site and is ignored everywhere else. Unknown email and wrong password give the same 401; 10 failures ' +
    'lock for 15 minutes (423); revoked or migrated customers get 403.',
  request: {
    params,
    body: {
      required: true,
      content: json(z.object({ email: ZEmail, password: ZPassword }).strict().openapi('PortalLoginRequest')),
    },
  },
  responses: {
    200: {
      description: 'Logged in',
      content: json(z.object({ customer: ZCustomerView, csrfToken: z.string(), expiresAt: z.string() })),
    },
    ...errorResponses(ZJsmError, [400, 401, 403, 404, 423, 429]),
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/rest/portal-auth/1/logout',
  tags: TAGS,
  summary: 'Portal-only customer logout',
  description: 'Ends the customer session of the cookie (needs the CSRF token). Idempotent.',
  security: [{ cookie: [] }],
  request: { params },
  responses: { 204: { description: 'Logged out' }, ...errorResponses(ZJsmError, [401, 403, 404]) },
});

const sessionRoute = createRoute({
  method: 'get',
  path: '/sites/{site}/rest/portal-auth/1/session',
  tags: TAGS,
  summary: 'The current customer session',
  description: 'The logged-in portal-only customer of this site and the CSRF token of the session.',
  security: [{ cookie: [] }],
  request: { params },
  responses: {
    200: {
      description: 'The session',
      content: json(z.object({ customer: ZCustomerView, csrfToken: z.string(), expiresAt: z.string() })),
    },
    ...errorResponses(ZJsmError, [401, 404]),
  },
});

const signUpRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/rest/portal-auth/1/signup',
  tags: TAGS,
  summary: 'Sign up as a portal-only customer',
  description:
    'Allowed only when the site’s customer access settings allow portal-only accounts and sign-up (anyone, or ' +
    'approved email domains); otherwise 403 `auth.signup_disabled`. Mails a verification link ' +
    '(`/sites/{site}/portal/verify-email?token=…`). Same 202 whether or not the email is taken.',
  request: {
    params,
    body: {
      required: true,
      content: json(
        z
          .object({ email: ZEmail, displayName: z.string().trim().min(1).max(255), password: ZPassword })
          .strict()
          .openapi('PortalSignUpRequest'),
      ),
    },
  },
  responses: {
    202: { description: 'Verification mail sent', content: json(ZAccepted) },
    ...errorResponses(ZJsmError, [400, 401, 403, 404, 429]),
  },
});

const verifyRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/rest/portal-auth/1/verify-email',
  tags: TAGS,
  summary: 'Verify a portal-only customer’s email',
  description: 'Uses the single-use token of the sign-up mail; valid only on the site that issued it.',
  request: {
    params,
    body: { required: true, content: json(z.object({ token: ZToken }).strict()) },
  },
  responses: {
    200: {
      description: 'Verified',
      content: json(z.object({ accountId: z.string(), emailVerified: z.literal(true) })),
    },
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const resetRequestRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/rest/portal-auth/1/reset-request',
  tags: TAGS,
  summary: 'Ask for a portal password reset link',
  description:
    'Mails a single-use link (`/sites/{site}/portal/reset-password?token=…`, 1 hour) when the email belongs to ' +
    'an active customer of this site. Always 202.',
  request: {
    params,
    body: { required: true, content: json(z.object({ email: ZEmail }).strict()) },
  },
  responses: {
    202: { description: 'If the customer exists, a mail is on its way', content: json(ZAccepted) },
    ...errorResponses(ZJsmError, [400, 401, 404, 429]),
  },
});

const resetRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/rest/portal-auth/1/reset',
  tags: TAGS,
  summary: 'Set a new portal password with a reset token',
  description:
    'Sets the password, ends the customer’s sessions and unlocks it. Used or expired tokens answer 400.',
  request: {
    params,
    body: { required: true, content: json(z.object({ token: ZToken, password: ZPassword }).strict()) },
  },
  responses: { 204: { description: 'Password set' }, ...errorResponses(ZJsmError, [400, 401, 404]) },
});

export const portalAuthApiRoutes = createRouter()
  .openapi(loginRoute, async (c) => {
    const services = c.get('services');
    const site = await getSiteByName(services.db, c.req.valid('param').site);
    const { customer, session } = await customerLogin(services, site, {
      ...c.req.valid('json'),
      ...loginRequestContext(c),
    });
    return c.json({ customer: presentCustomer(customer), ...issueSessionCookie(c, session) }, 200);
  })
  .openapi(logoutRoute, async (c) => {
    const services = c.get('services');
    const site = await getSiteByName(services.db, c.req.valid('param').site);
    assertCustomerOnSite(c.get('actor'), site.id);
    const session = sessionOf(c);
    await customerLogout(services, {
      sessionSecret: session?.kind === 'customer' ? getCookie(c, SESSION_COOKIE) : undefined,
    });
    if (session?.kind === 'customer') clearSessionCookie(c);
    return c.body(null, 204);
  })
  .openapi(sessionRoute, async (c) => {
    const services = c.get('services');
    const site = await getSiteByName(services.db, c.req.valid('param').site);
    const actor = c.get('actor');
    const session = sessionOf(c);
    if (actor.type !== 'customer' || !session) {
      throw new AppError('auth.unauthenticated', 'Log in to this help center first.');
    }
    assertCustomerOnSite(actor, site.id);
    const customer = await getSignedInCustomer(useCaseContext(c, { siteId: site.id }));
    if (!customer) throw new AppError('auth.unauthenticated', 'Log in to this help center first.');
    return c.json(
      {
        customer: presentCustomer(customer),
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt.toISOString(),
      },
      200,
    );
  })
  .openapi(signUpRoute, async (c) => {
    const services = c.get('services');
    const site = await getSiteByName(services.db, c.req.valid('param').site);
    await customerSignUp(services, site, { ...c.req.valid('json'), ip: clientIp(c) });
    return c.json({ message: `${MAIL_ACCEPTED} Follow its link to verify your email.` }, 202);
  })
  .openapi(verifyRoute, async (c) => {
    const services = c.get('services');
    const site = await getSiteByName(services.db, c.req.valid('param').site);
    const { customerId } = await customerVerifyEmail(services, site, {
      token: c.req.valid('json').token,
      ip: clientIp(c),
    });
    return c.json({ accountId: customerId, emailVerified: true as const }, 200);
  })
  .openapi(resetRequestRoute, async (c) => {
    const services = c.get('services');
    const site = await getSiteByName(services.db, c.req.valid('param').site);
    await requestCustomerPasswordReset(services, site, { email: c.req.valid('json').email, ip: clientIp(c) });
    return c.json({ message: MAIL_ACCEPTED }, 202);
  })
  .openapi(resetRoute, async (c) => {
    const services = c.get('services');
    const site = await getSiteByName(services.db, c.req.valid('param').site);
    await resetCustomerPassword(services, site, { ...c.req.valid('json'), ip: clientIp(c) });
    return c.body(null, 204);
  });
