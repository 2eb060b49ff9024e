import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildBasicAuth, buildSite, buildTenant } from '#src/test/factories/directory.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

async function json(response: Response) {
  return { status: response.status, body: await response.json() };
}

describe('admin API: product access and licences', () => {
  it('grants with seats, refuses past the limit (409), revokes and frees the seat', async () => {
    const t = await buildTenant(server.services);
    const { jira } = await buildSite(server.services, t.org.id, { seats: { 'jira-software': 1 } });
    const a = await buildAccount(server.services, { orgId: t.org.id });
    const b = await buildAccount(server.services, { orgId: t.org.id });
    const headers = bearer(t.apiKey);
    const grant = (accountId: string) =>
      server.request('POST', `/admin/v1/orgs/${t.org.id}/users/${accountId}/product-access`, {
        headers,
        body: { productId: jira.id, role: 'user' },
      });
    expect(await json(await grant(a.id))).toEqual({ status: 200, body: { seatsUsed: 1, seatLimit: 1 } });
    const full = await json(await grant(b.id));
    expect(full.status).toBe(409);
    expect(full.body.errors[0].meta.code).toBe('directory.no_seats_left');
    const customerRole = await server.request(
      'POST',
      `/admin/v1/orgs/${t.org.id}/users/${b.id}/product-access`,
      {
        headers,
        body: { productId: t.jsm.id, role: 'customer' },
      },
    );
    expect(customerRole.status).toBe(200);
    const revoke = await json(
      await server.request('DELETE', `/admin/v1/orgs/${t.org.id}/users/${a.id}/product-access`, {
        headers,
        body: { productId: jira.id, role: 'user' },
      }),
    );
    expect(revoke).toEqual({ status: 200, body: { removedFromGroups: 1 } });
    expect((await grant(b.id)).status).toBe(200);
    const licences = await json(
      await server.request('GET', `/admin/v1/orgs/${t.org.id}/products`, { headers }),
    );
    expect(licences.body.data.find((p: { id: string }) => p.id === jira.id).seats).toEqual({
      limit: 1,
      used: 1,
      available: 0,
    });

    const other = await buildTenant(server.services);
    const foreign = await server.request('POST', `/admin/v1/orgs/${t.org.id}/users/${a.id}/product-access`, {
      headers,
      body: { productId: other.jira.id, role: 'user' },
    });
    expect(foreign.status).toBe(404);
    expect(
      (await server.request('GET', `/admin/v1/orgs/${t.org.id}/products`, { headers: bearer(other.apiKey) }))
        .status,
    ).toBe(404);
    expect((await server.request('GET', `/admin/v1/orgs/${t.org.id}/products`)).status).toBe(401);
  });
});

describe('admin API: product access per experience', () => {
  it('original: a site admin grants on their own site only; centralized: site admins are refused', async () => {
    const o = await buildTenant(server.services, 'original');
    const second = await buildSite(server.services, o.org.id);
    const user = await buildAccount(server.services, { orgId: o.org.id });
    const siteAdmin = await buildAccount(server.services, { orgId: o.org.id, siteAdminOf: [o.site.id] });
    const headers = await buildBasicAuth(server.services, siteAdmin);
    const path = `/admin/v1/orgs/${o.org.id}/users/${user.id}/product-access`;
    expect(
      (await server.request('POST', path, { headers, body: { productId: o.jsm.id, role: 'user' } })).status,
    ).toBe(200);
    expect(
      (await server.request('POST', path, { headers, body: { productId: second.jsm.id, role: 'user' } }))
        .status,
    ).toBe(403);

    const c = await buildTenant(server.services, 'centralized');
    const cUser = await buildAccount(server.services, { orgId: c.org.id });
    const cSiteAdmin = await buildAccount(server.services, { orgId: c.org.id, siteAdminOf: [c.site.id] });
    const refused = await server.request(
      'POST',
      `/admin/v1/orgs/${c.org.id}/users/${cUser.id}/product-access`,
      {
        headers: await buildBasicAuth(server.services, cSiteAdmin),
        body: { productId: c.jsm.id, role: 'user' },
      },
    );
    expect(refused.status).toBe(403);
  });
});
