import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrfTokenMatches, type ResolvedSession, resolveSession } from '#src/domain/accounts/sessions.ts';
import { AppError } from '#src/shared/errors.ts';
import type { AppEnv } from './http.ts';
import { isSameOriginWrite } from './same-origin.ts';

export const SESSION_COOKIE = 'gh_session';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Routes where credentials are entered (login, sign-up, password reset, email verification): they act for no
 * session, so the cookie is ignored there (no CSRF check, the caller is anonymous) and a stale tab can still log in.
 * Page routes of the same kind may be added here by the web layer.
 */
export const CREDENTIAL_PATHS: RegExp[] = [
  /^\/rest\/auth\/1\/(login|signup|verify-email|password-reset|password-reset\/request)$/,
  /^\/sites\/[^/]+\/rest\/portal-auth\/1\/(login|signup|verify-email|reset-request|reset)$/,
];

/** `/sites/<name>/…` → `<name>` (lower-cased), else undefined. */
function siteNameOfPath(path: string): string | undefined {
  const match = /^\/sites\/([^/]+)(\/|$)/.exec(path);
  return match ? decodeURIComponent(match[1]!).toLowerCase() : undefined;
}

async function csrfCandidate(c: Context<AppEnv>): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
    // parseBody caches the parsed body, so the route can still read it.
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const value = body[CSRF_FIELD];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

/**
 * Browser sessions: reads the `gh_session` cookie when the Authorization header did not authenticate the caller,
 * and sets the actor. A portal-only customer's session counts only under its own site's `/sites/<name>/…` paths;
 * everywhere else the caller stays anonymous (so the admin API answers 401 and other sites never see it).
 * Every cookie-authenticated write (not GET/HEAD/OPTIONS) must echo the session's CSRF token in `X-CSRF-Token`
 * or the form field `_csrf`, and come from our own origin (`Origin` / `Sec-Fetch-Site`, see `same-origin.ts`),
 * else 403 `auth.csrf_failed`. Header-authenticated requests are exempt.
 */
export function sessionAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('actor').type !== 'anonymous') return next();
    if (CREDENTIAL_PATHS.some((pattern) => pattern.test(c.req.path))) return next();
    const secret = getCookie(c, SESSION_COOKIE);
    if (!secret) return next();
    const services = c.get('services');
    const session = await resolveSession(services, secret);
    if (!session) return next();
    if (session.kind === 'customer') {
      if (siteNameOfPath(c.req.path) !== session.siteName?.toLowerCase()) return next();
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      if (!isSameOriginWrite(c)) {
        throw new AppError('auth.csrf_failed', 'Cross-origin request refused: use Gatehouse’s own pages.');
      }
      if (!csrfTokenMatches(session, await csrfCandidate(c))) {
        throw new AppError('auth.csrf_failed', 'Missing or wrong CSRF token; reload the page and try again.');
      }
    }
    c.set('session', session);
    if (session.kind === 'account') {
      c.set('actor', {
        type: 'account',
        accountId: session.accountId!,
        email: session.email ?? '',
        via: 'session',
        sessionId: session.id,
      });
    } else {
      c.set('actor', {
        type: 'customer',
        customerId: session.customerId!,
        orgId: session.orgId!,
        siteId: session.siteId!,
        sessionId: session.id,
        portal: session.portal ?? undefined,
      });
    }
    return next();
  };
}

/** The session that authenticated this request, if it came by cookie. */
export function sessionOf(c: Context<AppEnv>): ResolvedSession | undefined {
  return c.get('session');
}

/** The CSRF token pages put in forms (`<input type=hidden name=_csrf>`) and htmx headers; undefined when anonymous. */
export function csrfTokenOf(c: Context<AppEnv>): string | undefined {
  return sessionOf(c)?.csrfToken;
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, Secure when COOKIE_SECURE. */
export function setSessionCookie(c: Context<AppEnv>, secret: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('services').config.COOKIE_SECURE,
    path: '/',
    expires: expiresAt,
  });
}

/** Removes the session cookie (logout). */
export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: c.get('services').config.COOKIE_SECURE });
}
