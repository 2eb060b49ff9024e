import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, portalCustomers, sessions } from '#src/db/schema/index.ts';
import { createSession, resolveSession, revokeAllSessionsOfAccount } from '#src/domain/accounts/sessions.ts';
import { assertCustomerOnSite } from '#src/domain/policies/customer-site.ts';
import { buildCustomer, buildTenant } from '#src/test/factories/directory.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import type { AppEnv } from '#src/web/http.ts';
import { clearSessionCookie, setSessionCookie } from '#src/web/session.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

async function accountSession(accountId: string) {
  return server.services.db.transaction((tx) =>
    createSession(tx, server.services, { kind: 'account', accountId, ip: '10.0.0.1', userAgent: 'test' }),
  );
}

const cookie = (secret: string) => ({ cookie: `gh_session=${secret}` });

describe('session cookie and CSRF', () => {
  it('stores only the hash of the secret and resolves the session by the cookie', async () => {
    const { org, admin } = await buildTenant(server.services);
    const session = await accountSession(admin.id);
    expect(session.secret).toMatch(/^[\w-]{43}$/);
    expect(session.sessionId).not.toContain(session.secret);
    const resolved = await resolveSession(server.services, session.secret);
    expect(resolved).toMatchObject({ kind: 'account', accountId: admin.id, email: admin.email });
    const response = await server.request('GET', `/admin/v1/orgs/${org.id}/users`, {
      headers: cookie(session.secret),
    });
    expect(response.status).toBe(200);
  });

  it('answers 401 for an unknown or revoked session cookie', async () => {
    const { org, admin } = await buildTenant(server.services);
    const session = await accountSession(admin.id);
    await revokeAllSessionsOfAccount(server.services.db, admin.id);
    for (const secret of [session.secret, 'not-a-session']) {
      const response = await server.request('GET', `/admin/v1/orgs/${org.id}/users`, {
        headers: cookie(secret),
      });
      expect(response.status).toBe(401);
    }
  });

  it('rejects a cookie-authenticated write without the CSRF token, accepts header or form field', async () => {
    const { org, admin } = await buildTenant(server.services);
    const session = await accountSession(admin.id);
    const path = `/admin/v1/orgs/${org.id}/users`;
    const missing = await server.request('POST', path, { headers: cookie(session.secret), body: {} });
    expect(missing.status).toBe(403);
    expect((await missing.json()).errors[0].meta.code).toBe('auth.csrf_failed');
    const wrong = await server.request('POST', path, {
      headers: { ...cookie(session.secret), 'x-csrf-token': 'nope' },
      body: {},
    });
    expect(wrong.status).toBe(403);
    const viaHeader = await server.request('POST', path, {
      headers: { ...cookie(session.secret), 'x-csrf-token': session.csrfToken },
      body: {},
    });
    expect(viaHeader.status).not.toBe(403);
    const viaForm = await server.request('POST', path, {
      headers: { ...cookie(session.secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${encodeURIComponent(session.csrfToken)}`,
    });
    expect(viaForm.status).not.toBe(403);
  });

  it('stops an inactive account session at once', async () => {
    const { org, admin } = await buildTenant(server.services);
    const session = await accountSession(admin.id);
    await server.services.db.update(accounts).set({ status: 'inactive' }).where(eq(accounts.id, admin.id));
    expect(await resolveSession(server.services, session.secret)).toBeUndefined();
    const response = await server.request('GET', `/admin/v1/orgs/${org.id}`, {
      headers: cookie(session.secret),
    });
    expect(response.status).toBe(401);
  });

  it('keeps a portal-only customer session on its own site: revoked customers stop at once', async () => {
    const { org, site } = await buildTenant(server.services);
    const { customer } = await buildCustomer(server.services, { orgId: org.id, siteId: site.id });
    const session = await server.services.db.transaction((tx) =>
      createSession(tx, server.services, { kind: 'customer', customerId: customer.id, siteId: site.id }),
    );
    const resolved = await resolveSession(server.services, session.secret);
    expect(resolved).toMatchObject({ kind: 'customer', siteId: site.id, orgId: org.id, siteName: site.name });
    // The admin API never sees a customer session.
    const admin = await server.request('GET', `/admin/v1/orgs/${org.id}`, {
      headers: cookie(session.secret),
    });
    expect(admin.status).toBe(401);
    await server.services.db
      .update(portalCustomers)
      .set({ status: 'revoked' })
      .where(eq(portalCustomers.id, customer.id));
    expect(await resolveSession(server.services, session.secret)).toBeUndefined();
  });

  it('ignores an expired session', async () => {
    const { admin } = await buildTenant(server.services);
    const session = await accountSession(admin.id);
    await server.services.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, session.sessionId));
    expect(await resolveSession(server.services, session.secret)).toBeUndefined();
    expect(
      (await server.request('GET', '/rest/auth/1/profile', { headers: cookie(session.secret) })).status,
    ).toBe(401);
    // The next login of the account deletes it.
    await accountSession(admin.id);
    const left = await server.services.db.select().from(sessions).where(eq(sessions.id, session.sessionId));
    expect(left).toEqual([]);
  });

  it('marks the cookie Secure when COOKIE_SECURE is on, and clears it on logout', async () => {
    const app = new Hono<AppEnv>();
    app.use('*', async (c, next) => {
      c.set('services', { config: { COOKIE_SECURE: true } } as never);
      await next();
    });
    app.get('/set', (c) => {
      setSessionCookie(c, 'secret-value', new Date(Date.now() + 60_000));
      return c.body(null, 204);
    });
    app.get('/clear', (c) => {
      clearSessionCookie(c);
      return c.body(null, 204);
    });
    const set = (await app.request('/set')).headers.get('set-cookie')!;
    expect(set).toMatch(/^gh_session=secret-value;/);
    expect(set).toMatch(/; Secure/);
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Lax/);
    const cleared = (await app.request('/clear')).headers.get('set-cookie')!;
    expect(cleared).toMatch(/gh_session=;.*Max-Age=0/);
  });

  it('assertCustomerOnSite answers 404 for another site and lets other actors through', () => {
    const actor = { type: 'customer', customerId: 'qm:x', orgId: 'o', siteId: 's1' } as const;
    expect(() => assertCustomerOnSite(actor, 's1')).not.toThrow();
    expect(() => assertCustomerOnSite(actor, 's2')).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => assertCustomerOnSite({ type: 'system' }, 's2')).not.toThrow();
  });
});
