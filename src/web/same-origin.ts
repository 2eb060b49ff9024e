import type { Context } from 'hono';
import type { AppEnv } from '#src/web/http.ts';

/**
 * Whether a cookie-authenticated write comes from our own pages: the second layer behind the CSRF token.
 * - `Sec-Fetch-Site` (sent by every current browser, and not settable by page scripts) must be `same-origin`
 *   (or `none`: typed by the user); `same-site` and `cross-site` are refused.
 * - `Origin`, when present, must be the origin of `BASE_URL` — unless the browser attests `same-origin` (the
 *   page was served from this very host under another name, e.g. `localhost` for `127.0.0.1`).
 * - Neither header (scripts, old clients): allowed; the CSRF token still has to match.
 */
export function isSameOriginWrite(c: Context<AppEnv>): boolean {
  const fetchSite = c.req.header('sec-fetch-site')?.toLowerCase();
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return false;
  const origin = c.req.header('origin');
  if (origin === undefined || fetchSite === 'same-origin') return true;
  return origin === new URL(c.get('services').config.BASE_URL).origin;
}
