import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { NewSession } from '#src/domain/accounts/sessions.ts';
import { clientIp } from './client-ip.ts';
import type { AppEnv } from './http.ts';
import { SESSION_COOKIE, setSessionCookie } from './session.ts';

/** The one answer of every "we may have mailed you" endpoint (sign-up, reset request): no enumeration. */
export const MAIL_ACCEPTED = 'If the address can receive it, a message is on its way.';

/**
 * What a password login takes from the request besides its body: the caller's IP and user agent, and the
 * session cookie the browser already holds (ended at login, so the session id rotates).
 */
export function loginRequestContext(c: Context<AppEnv>) {
  return {
    ip: clientIp(c),
    userAgent: c.req.header('user-agent'),
    previousSessionSecret: getCookie(c, SESSION_COOKIE),
  };
}

/** Sets the cookie of a new session and returns what the client keeps of it: the CSRF token and the expiry. */
export function issueSessionCookie(
  c: Context<AppEnv>,
  session: NewSession,
): { csrfToken: string; expiresAt: string } {
  setSessionCookie(c, session.secret, session.expiresAt);
  return { csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
}
