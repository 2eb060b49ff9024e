import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '#src/db/schema/index.ts';
import { loginAs } from '#src/test/factories/accounts.ts';
import { buildAccount, buildBasicAuth, buildTenant, TEST_PASSWORD } from '#src/test/factories/directory.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const basic = (email: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${email}:${secret}`).toString('base64')}`,
});

describe('personal API tokens', () => {
  it('creates a token shown once, usable as Basic email:token, listed without secret, revoked at once', async () => {
    const { org, admin } = await buildTenant(server.services);
    const session = await loginAs(server, admin.email, TEST_PASSWORD);
    const created = await server.request('POST', '/rest/auth/1/api-tokens', {
      headers: session.write,
      body: { label: 'CI script' },
    });
    expect(created.status).toBe(201);
    const { data, secret } = await created.json();
    expect(secret).toMatch(/^ght_/);
    expect(data).toMatchObject({ label: 'CI script', status: 'active' });

    const viaToken = await server.request('GET', `/admin/v1/orgs/${org.id}/users`, {
      headers: basic(admin.email, secret),
    });
    expect(viaToken.status).toBe(200);

    const list = await (
      await server.request('GET', '/rest/auth/1/api-tokens', { headers: session.read })
    ).json();
    expect(list.data.map((t: { id: string }) => t.id)).toContain(data.id);
    expect(JSON.stringify(list)).not.toContain(secret);

    const revoked = await server.request('DELETE', `/rest/auth/1/api-tokens/${data.id}`, {
      headers: session.write,
    });
    expect(revoked.status).toBe(204);
    const after = await server.request('GET', `/admin/v1/orgs/${org.id}/users`, {
      headers: basic(admin.email, secret),
    });
    expect(after.status).toBe(401);
    const again = await server.request('DELETE', `/rest/auth/1/api-tokens/${data.id}`, {
      headers: session.write,
    });
    expect(again.status).toBe(404);

    const actions = (
      await server.services.db.select().from(auditEvents).where(eq(auditEvents.orgId, org.id))
    ).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.api_token_created', 'auth.api_token_revoked']));
  });

  it('answers 401 when anonymous, 403 without the CSRF token, 404 for another account’s token', async () => {
    const owner = await buildAccount(server.services);
    const stranger = await buildAccount(server.services);
    expect((await server.request('GET', '/rest/auth/1/api-tokens')).status).toBe(401);
    expect((await server.request('POST', '/rest/auth/1/api-tokens', { body: { label: 'x' } })).status).toBe(
      401,
    );
    const session = await loginAs(server, owner.email, TEST_PASSWORD);
    const noCsrf = await server.request('POST', '/rest/auth/1/api-tokens', {
      headers: session.read,
      body: { label: 'x' },
    });
    expect(noCsrf.status).toBe(403);
    const created = await server.request('POST', '/rest/auth/1/api-tokens', {
      headers: await buildBasicAuth(server.services, owner),
      body: { label: 'made with a token' },
    });
    expect(created.status).toBe(201);
    const { data } = await created.json();
    const theirs = await server.request('DELETE', `/rest/auth/1/api-tokens/${data.id}`, {
      headers: await buildBasicAuth(server.services, stranger),
    });
    expect(theirs.status).toBe(404);
    const bad = await server.request('POST', '/rest/auth/1/api-tokens', {
      headers: session.write,
      body: { label: '' },
    });
    expect(bad.status).toBe(400);
    const past = await server.request('POST', '/rest/auth/1/api-tokens', {
      headers: session.write,
      body: { label: 'old', expiresAt: '2001-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(400);
  });
});
