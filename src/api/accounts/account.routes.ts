import { createRoute, z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import type { AccountRow } from '#src/db/queries/directory/accounts.queries.ts';
import { changePassword } from '#src/domain/accounts/change-password.ts';
import { login, logout } from '#src/domain/accounts/login.ts';
import { requestPasswordReset, resetPassword } from '#src/domain/accounts/password-reset.ts';
import { getProfile, updateProfile } from '#src/domain/accounts/profile.ts';
import { signUp } from '#src/domain/accounts/sign-up.ts';
import { verifyEmail } from '#src/domain/accounts/verify-email.ts';
import { clientIp } from '#src/web/client-ip.ts';
import { createRouter } from '#src/web/http.ts';
import { issueSessionCookie, loginRequestContext, MAIL_ACCEPTED } from '#src/web/login-session.ts';
import { clearSessionCookie, SESSION_COOKIE, sessionOf } from '#src/web/session.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import {
  errorsOf,
  SESSION_OR_BASIC,
  ZAccepted,
  ZEmail,
  ZPassword,
  ZPlainError,
  ZProfile,
  ZSessionInfo,
  ZToken,
} from './auth.schemas.ts';

const TAGS = ['Accounts: authentication'];
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

export function presentProfile(account: AccountRow): z.infer<typeof ZProfile> {
  return {
    accountId: account.id,
    email: account.email,
    name: account.name,
    emailVerified: account.emailVerifiedAt !== null,
    status: account.status,
    timeZone: account.timeZone,
    locale: account.locale,
  };
}

const signUpRoute = createRoute({
  method: 'post',
  path: '/rest/auth/1/signup',
  tags: TAGS,
  summary: 'Sign up for an account',
  description:
    'Creates an unverified account and mails a verification link (`/verify-email?token=…`). The answer is the ' +
    'same when the email already has an account (its owner gets a mail instead), so it reveals no account.',
  request: {
    body: {
      required: true,
      content: json(
        z
          .object({ email: ZEmail, name: z.string().trim().min(1).max(255), password: ZPassword })
          .strict()
          .openapi('SignUpRequest'),
      ),
    },
  },
  responses: {
    202: { description: 'Verification mail sent', content: json(ZAccepted) },
    ...errorsOf(ZPlainError, [400, 401, 429]),
  },
});

const verifyEmailRoute = createRoute({
  method: 'post',
  path: '/rest/auth/1/verify-email',
  tags: TAGS,
  summary: 'Verify an email address',
  description: 'Uses the single-use token of the verification mail. A used or expired token changes nothing.',
  request: {
    body: { required: true, content: json(z.object({ token: ZToken }).strict().openapi('TokenRequest')) },
  },
  responses: {
    200: {
      description: 'Verified',
      content: json(z.object({ accountId: z.string(), emailVerified: z.literal(true) })),
    },
    ...errorsOf(ZPlainError, [400, 401]),
  },
});

const loginRoute = createRoute({
  method: 'post',
  path: '/rest/auth/1/login',
  tags: TAGS,
  summary: 'Log in with email and password',
  description:
    'Starts a session: sets the `gh_session` cookie (HttpOnly, SameSite=Lax, Secure behind TLS) and returns ' +
    'the CSRF token to send on writes. Any session the browser held is ended (the id rotates). Unknown email and ' +
    'wrong password give the same 401. After 10 failures the login locks (423) for 15 minutes; more than 30 ' +
    'attempts a minute from one address answer 429.',
  request: {
    body: {
      required: true,
      content: json(z.object({ email: ZEmail, password: ZPassword }).strict().openapi('LoginRequest')),
    },
  },
  responses: {
    200: {
      description: 'Logged in',
      content: json(ZSessionInfo.extend({ account: ZProfile }).openapi('LoginResponse')),
    },
    ...errorsOf(ZPlainError, [400, 401, 403, 423, 429]),
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/rest/auth/1/logout',
  tags: TAGS,
  summary: 'Log out',
  description: 'Ends the session of the cookie and clears it. Needs the CSRF token. Idempotent.',
  security: SESSION_OR_BASIC,
  responses: { 204: { description: 'Logged out' }, ...errorsOf(ZPlainError, [401, 403]) },
});

const sessionRoute = createRoute({
  method: 'get',
  path: '/rest/auth/1/session',
  tags: TAGS,
  summary: 'The current session',
  description: 'The logged-in account and the CSRF token of the cookie session (for scripts and pages).',
  security: SESSION_OR_BASIC,
  responses: {
    200: {
      description: 'The session',
      content: json(
        z.object({ account: ZProfile, csrfToken: z.string().nullable(), expiresAt: z.string().nullable() }),
      ),
    },
    ...errorsOf(ZPlainError, [401]),
  },
});

const resetRequestRoute = createRoute({
  method: 'post',
  path: '/rest/auth/1/password-reset/request',
  tags: TAGS,
  summary: 'Ask for a password reset link',
  description:
    'Mails a single-use link (`/reset-password?token=…`, valid 1 hour) when the email has an active account. ' +
    'The answer is always 202, so it reveals no account.',
  request: {
    body: { required: true, content: json(z.object({ email: ZEmail }).strict().openapi('ResetRequest')) },
  },
  responses: {
    202: { description: 'If the account exists, a mail is on its way', content: json(ZAccepted) },
    ...errorsOf(ZPlainError, [400, 401, 429]),
  },
});

const resetRoute = createRoute({
  method: 'post',
  path: '/rest/auth/1/password-reset',
  tags: TAGS,
  summary: 'Set a new password with a reset token',
  description:
    'Sets the password, ends every session of the account and unlocks it. A used or expired token answers 400 ' +
    'and changes nothing.',
  request: {
    body: {
      required: true,
      content: json(
        z.object({ token: ZToken, password: ZPassword }).strict().openapi('ResetPasswordRequest'),
      ),
    },
  },
  responses: { 204: { description: 'Password set' }, ...errorsOf(ZPlainError, [400, 401]) },
});

const changePasswordRoute = createRoute({
  method: 'post',
  path: '/rest/auth/1/password',
  tags: TAGS,
  summary: 'Change my password',
  description:
    'Needs the current password (a wrong one counts towards the lockout and answers 403). Ends every other ' +
    'session of the account; this one stays.',
  security: SESSION_OR_BASIC,
  request: {
    body: {
      required: true,
      content: json(
        z
          .object({ currentPassword: ZPassword, newPassword: ZPassword })
          .strict()
          .openapi('ChangePasswordRequest'),
      ),
    },
  },
  responses: {
    200: { description: 'Changed', content: json(z.object({ sessionsEnded: z.number().int() })) },
    ...errorsOf(ZPlainError, [400, 401, 403, 423]),
  },
});

const getProfileRoute = createRoute({
  method: 'get',
  path: '/rest/auth/1/profile',
  tags: ['Accounts: profile'],
  summary: 'My profile',
  description: 'Name, email, time zone, locale and status of the calling account.',
  security: SESSION_OR_BASIC,
  responses: {
    200: { description: 'The profile', content: json(ZProfile) },
    ...errorsOf(ZPlainError, [401]),
  },
});

const patchProfileRoute = createRoute({
  method: 'patch',
  path: '/rest/auth/1/profile',
  tags: ['Accounts: profile'],
  summary: 'Update my profile',
  description: 'Changes the name, the time zone (IANA name) and/or the locale (BCP 47 tag).',
  security: SESSION_OR_BASIC,
  request: {
    body: {
      required: true,
      content: json(
        z
          .object({
            name: z.string().trim().min(1).max(255).optional(),
            timeZone: z.string().min(1).max(64).optional().describe('IANA time zone, e.g. Europe/Paris'),
            locale: z.string().min(2).max(35).optional().describe('BCP 47 locale, e.g. en-US'),
          })
          .strict()
          .openapi('ProfilePatch'),
      ),
    },
  },
  responses: {
    200: { description: 'The updated profile', content: json(ZProfile) },
    ...errorsOf(ZPlainError, [400, 401, 403]),
  },
});

export const accountRoutes = createRouter()
  .openapi(signUpRoute, async (c) => {
    const body = c.req.valid('json');
    await signUp(c.get('services'), { ...body, ip: clientIp(c) });
    return c.json({ message: `${MAIL_ACCEPTED} Follow its link to verify your email.` }, 202);
  })
  .openapi(verifyEmailRoute, async (c) => {
    const { accountId } = await verifyEmail(c.get('services'), {
      token: c.req.valid('json').token,
      ip: clientIp(c),
    });
    return c.json({ accountId, emailVerified: true as const }, 200);
  })
  .openapi(loginRoute, async (c) => {
    const body = c.req.valid('json');
    const { account, session } = await login(c.get('services'), {
      ...body,
      ...loginRequestContext(c),
    });
    return c.json({ account: presentProfile(account), ...issueSessionCookie(c, session) }, 200);
  })
  .openapi(logoutRoute, async (c) => {
    const actor = c.get('actor');
    await logout(c.get('services'), {
      sessionSecret: sessionOf(c) ? getCookie(c, SESSION_COOKIE) : undefined,
      accountId: actor.type === 'account' ? actor.accountId : undefined,
      ip: clientIp(c),
    });
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .openapi(sessionRoute, async (c) => {
    const account = await getProfile(useCaseContext(c));
    const session = sessionOf(c);
    return c.json(
      {
        account: presentProfile(account),
        csrfToken: session?.csrfToken ?? null,
        expiresAt: session?.expiresAt.toISOString() ?? null,
      },
      200,
    );
  })
  .openapi(resetRequestRoute, async (c) => {
    await requestPasswordReset(c.get('services'), { email: c.req.valid('json').email, ip: clientIp(c) });
    return c.json({ message: MAIL_ACCEPTED }, 202);
  })
  .openapi(resetRoute, async (c) => {
    const body = c.req.valid('json');
    await resetPassword(c.get('services'), { ...body, ip: clientIp(c) });
    return c.body(null, 204);
  })
  .openapi(changePasswordRoute, async (c) => {
    const body = c.req.valid('json');
    const result = await changePassword(useCaseContext(c), { ...body, ip: clientIp(c) });
    return c.json(result, 200);
  })
  .openapi(getProfileRoute, async (c) => {
    return c.json(presentProfile(await getProfile(useCaseContext(c))), 200);
  })
  .openapi(patchProfileRoute, async (c) => {
    const updated = await updateProfile(useCaseContext(c), c.req.valid('json'));
    return c.json(presentProfile(updated), 200);
  });
