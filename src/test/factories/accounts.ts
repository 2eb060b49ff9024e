import type { TestServer } from '#src/test/helpers/server.ts';

/** The `gh_session` secret set by a response, if any. */
export function sessionCookieOf(response: Response): string | undefined {
  const header = response.headers.get('set-cookie') ?? '';
  const match = /gh_session=([^;]*)/.exec(header);
  return match?.[1] || undefined;
}

export interface BrowserSession {
  cookie: string;
  csrfToken: string;
  /** Headers for a cookie-authenticated write (cookie + CSRF token). */
  write: Record<string, string>;
  /** Headers for a cookie-authenticated read. */
  read: Record<string, string>;
}

/** Logs in through the HTTP API (account or, with `site`, a portal-only customer) and returns its cookie. */
export async function loginAs(
  server: TestServer,
  email: string,
  password: string,
  options: { site?: string; ip?: string } = {},
): Promise<BrowserSession> {
  const path = options.site ? `/sites/${options.site}/rest/portal-auth/1/login` : '/rest/auth/1/login';
  const response = await server.request('POST', path, {
    body: { email, password },
    headers: { 'x-forwarded-for': options.ip ?? '198.51.100.7' },
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { csrfToken: string };
  const cookie = sessionCookieOf(response)!;
  return {
    cookie,
    csrfToken: body.csrfToken,
    read: { cookie: `gh_session=${cookie}` },
    write: { cookie: `gh_session=${cookie}`, 'x-csrf-token': body.csrfToken },
  };
}
