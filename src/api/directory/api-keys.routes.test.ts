import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, auditEvents } from '#src/db/schema/index.ts';
import { buildAccount, buildBasicAuth, buildTenant } from '#src/test/factories/directory.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

async function createKey(orgId: string, headers: Record<string, string>, body: unknown = { name: 'ci' }) {
  return server.request('POST', `/admin/v1/orgs/${orgId}/api-keys`, { body, headers });
}

describe('admin API: org API keys', () => {
  it('creates a key whose secret is shown once, works as Bearer and is stored only hashed', async () => {
    const { org, apiKey } = await buildTenant(server.services);
    const response = await createKey(org.id, bearer(apiKey), { name: 'deploy bot' });
    expect(response.status).toBe(201);
    const { data, secret } = await response.json();
    expect(secret).toMatch(/^ghk_/);
    expect(data).toMatchObject({ name: 'deploy bot', status: 'active', revoked_at: null, expires_at: null });

    const works = await server.request('GET', `/admin/v1/orgs/${org.id}/users`, { headers: bearer(secret) });
    expect(works.status).toBe(200);

    const [stored] = await server.services.db.select().from(apiKeys).where(eq(apiKeys.id, data.id));
    expect(JSON.stringify(stored)).not.toContain(secret);

    const list = await (
      await server.request('GET', `/admin/v1/orgs/${org.id}/api-keys`, { headers: bearer(apiKey) })
    ).json();
    expect(list.data.map((k: { id: string }) => k.id)).toContain(data.id);
    expect(JSON.stringify(list)).not.toContain(secret);
    expect(list.data.every((k: Record<string, unknown>) => !('secret' in k))).toBe(true);
  });

  it('lets an org admin create keys with email:api-token and records who did', async () => {
    const { org, admin } = await buildTenant(server.services);
    const response = await createKey(org.id, await buildBasicAuth(server.services, admin));
    expect(response.status).toBe(201);
    const { data } = await response.json();
    expect(data.created_by).toBe(admin.id);
    const events = await server.services.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.id), eq(auditEvents.action, 'api_key.created')));
    expect(events.some((e) => e.actorId === admin.id && e.targetId === data.id)).toBe(true);
  });

  it('revokes a key: it stops working at once, shows as revoked, and a second revoke is 404', async () => {
    const { org, apiKey } = await buildTenant(server.services);
    const { data, secret } = await (await createKey(org.id, bearer(apiKey))).json();
    const path = `/admin/v1/orgs/${org.id}/api-keys/${data.id}`;
    expect((await server.request('DELETE', path, { headers: bearer(apiKey) })).status).toBe(204);
    const after = await server.request('GET', `/admin/v1/orgs/${org.id}`, { headers: bearer(secret) });
    expect(after.status).toBe(401);
    const list = await (
      await server.request('GET', `/admin/v1/orgs/${org.id}/api-keys`, { headers: bearer(apiKey) })
    ).json();
    expect(list.data.find((k: { id: string }) => k.id === data.id)).toMatchObject({ status: 'revoked' });
    const again = await server.request('DELETE', path, { headers: bearer(apiKey) });
    expect(again.status).toBe(404);
    expect((await again.json()).errors[0].meta.code).toBe('directory.api_key_not_found');
  });

  it('marks a key past its expiry as expired, and it no longer authenticates', async () => {
    const { org, apiKey } = await buildTenant(server.services);
    const { data, secret } = await (
      await createKey(org.id, bearer(apiKey), { name: 'short', expires_at: '2001-01-01T00:00:00Z' })
    ).json();
    expect(data).toMatchObject({ status: 'expired', expires_at: '2001-01-01T00:00:00.000Z' });
    expect(
      (await server.request('GET', `/admin/v1/orgs/${org.id}`, { headers: bearer(secret) })).status,
    ).toBe(401);
  });

  it('answers 401 without credentials', async () => {
    const { org } = await buildTenant(server.services);
    expect((await createKey(org.id, {})).status).toBe(401);
    expect((await server.request('GET', `/admin/v1/orgs/${org.id}/api-keys`)).status).toBe(401);
    expect((await server.request('DELETE', `/admin/v1/orgs/${org.id}/api-keys/x`)).status).toBe(401);
  });

  it('answers 403 to a member who is not an org admin, even a site admin', async () => {
    const { org, site } = await buildTenant(server.services, 'original');
    const siteAdmin = await buildAccount(server.services, { orgId: org.id, siteAdminOf: [site.id] });
    const headers = await buildBasicAuth(server.services, siteAdmin);
    const created = await createKey(org.id, headers);
    expect(created.status).toBe(403);
    expect((await created.json()).errors[0].meta.code).toBe('auth.forbidden');
    expect((await server.request('GET', `/admin/v1/orgs/${org.id}/api-keys`, { headers })).status).toBe(403);
  });

  it("answers 404 for another org's keys, and never revokes them", async () => {
    const mine = await buildTenant(server.services);
    const theirs = await buildTenant(server.services);
    const { data } = await (await createKey(theirs.org.id, bearer(theirs.apiKey))).json();
    const headers = bearer(mine.apiKey);
    expect((await createKey(theirs.org.id, headers)).status).toBe(404);
    expect(
      (await server.request('GET', `/admin/v1/orgs/${theirs.org.id}/api-keys`, { headers })).status,
    ).toBe(404);
    for (const orgId of [theirs.org.id, mine.org.id]) {
      const response = await server.request('DELETE', `/admin/v1/orgs/${orgId}/api-keys/${data.id}`, {
        headers,
      });
      expect(response.status).toBe(404);
    }
    const list = await (
      await server.request('GET', `/admin/v1/orgs/${theirs.org.id}/api-keys`, {
        headers: bearer(theirs.apiKey),
      })
    ).json();
    expect(list.data.find((k: { id: string }) => k.id === data.id).status).toBe('active');
  });
});
