import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildBasicAuth } from '#src/test/factories/directory.ts';
import { buildBrowserSession } from '#src/test/factories/web.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const TOKENS = '/rest/auth/1/api-tokens';

describe('cookie-authenticated writes must come from our own origin (besides the CSRF token)', () => {
  it('refuses cross-site and foreign-origin writes even with the right CSRF token, writing nothing', async () => {
    const account = await buildAccount(server.services);
    const session = await buildBrowserSession(server.services, { accountId: account.id });
    const headers = { ...session.read, 'x-csrf-token': session.csrfToken };
    const refused: Array<Record<string, string>> = [
      { origin: 'http://evil.test' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'http://sub.gatehouse.test' },
      { 'sec-fetch-site': 'cross-site', origin: 'http://gatehouse.test' },
    ];
    for (const extra of refused) {
      const response = await server.request('POST', TOKENS, {
        headers: { ...headers, ...extra },
        body: { label: 'x' },
      });
      expect(response.status, JSON.stringify(extra)).toBe(403);
      expect((await response.json()).code).toBe('auth.csrf_failed');
    }
    const list = await server.request('GET', TOKENS, { headers: session.read });
    expect((await list.json()).data).toEqual([]);
  });

  it('accepts our origin, a browser-attested same-origin page, and clients that send neither header', async () => {
    const account = await buildAccount(server.services);
    const session = await buildBrowserSession(server.services, { accountId: account.id });
    const headers = { ...session.read, 'x-csrf-token': session.csrfToken };
    const accepted: Array<Record<string, string>> = [
      { origin: 'http://gatehouse.test', 'sec-fetch-site': 'same-origin' },
      { origin: 'http://gatehouse.test' },
      { origin: 'http://localhost:8080', 'sec-fetch-site': 'same-origin' },
      {},
    ];
    for (const extra of accepted) {
      const response = await server.request('POST', TOKENS, {
        headers: { ...headers, ...extra },
        body: { label: 'ok' },
      });
      expect(response.status, JSON.stringify(extra)).toBe(201);
    }
    // Without the CSRF token a same-origin write is still refused: the two layers add up.
    const noToken = await server.request('POST', TOKENS, {
      headers: { ...session.read, origin: 'http://gatehouse.test' },
      body: { label: 'x' },
    });
    expect(noToken.status).toBe(403);
  });

  it('does not apply to header-authenticated calls (API tokens are not sent by browsers on their own)', async () => {
    const account = await buildAccount(server.services);
    const auth = await buildBasicAuth(server.services, account);
    const response = await server.request('POST', TOKENS, {
      headers: { ...auth, origin: 'http://evil.test', 'sec-fetch-site': 'cross-site' },
      body: { label: 'script' },
    });
    expect(response.status).toBe(201);
  });
});
