import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccount } from '#src/db/queries/directory/accounts.queries.ts';
import { giveProductRole } from '#src/test/factories/customers.ts';
import {
  buildAccount,
  buildBasicAuth,
  buildCustomer,
  buildSite,
  buildTenant,
} from '#src/test/factories/directory.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

async function json(response: Response) {
  return { status: response.status, body: await response.json() };
}

async function seatsOf(apiKey: string, orgId: string, productId: string) {
  const { body } = await json(
    await server.request('GET', `/admin/v1/orgs/${orgId}/products`, { headers: bearer(apiKey) }),
  );
  return body.data.find((p: { id: string }) => p.id === productId).seats;
}

describe('admin API: suspend and restore access (centralized)', () => {
  it('suspends (seat freed, groups kept) and restores, by v1 and v2 paths', async () => {
    const t = await buildTenant(server.services, 'centralized');
    const user = await buildAccount(server.services, { orgId: t.org.id });
    await giveProductRole(server.services, {
      orgId: t.org.id,
      productId: t.jsm.id,
      accountId: user.id,
      role: 'user',
    });
    const headers = bearer(t.apiKey);
    expect((await seatsOf(t.apiKey, t.org.id, t.jsm.id)).used).toBe(1);

    const suspended = await json(
      await server.request('POST', `/admin/v1/orgs/${t.org.id}/directory/users/${user.id}/suspend-access`, {
        headers,
      }),
    );
    expect(suspended.status).toBe(200);
    expect(suspended.body.message).toMatch(/suspended/);
    expect(await seatsOf(t.apiKey, t.org.id, t.jsm.id)).toEqual({ limit: 5, used: 0, available: 5 });
    const detail = await json(
      await server.request('GET', `/admin/v1/orgs/${t.org.id}/directory/users/${user.id}`, { headers }),
    );
    expect(detail.body.data.membership_status).toBe('suspended');
    expect(detail.body.data.groups.map((g: { name: string }) => g.name)).toEqual([
      `jira-servicemanagement-users-${t.site.name}`,
    ]);

    const restored = await server.request(
      'POST',
      `/admin/v2/orgs/${t.org.id}/directories/${t.org.id}/users/${user.id}/restore`,
      { headers },
    );
    expect(restored.status).toBe(200);
    expect((await seatsOf(t.apiKey, t.org.id, t.jsm.id)).used).toBe(1);
    const v2 = await server.request(
      'POST',
      `/admin/v2/orgs/${t.org.id}/directories/${t.org.id}/users/${user.id}/suspend`,
      {
        headers,
      },
    );
    expect(v2.status).toBe(200);
    const wrongDirectory = await server.request(
      'POST',
      `/admin/v2/orgs/${t.org.id}/directories/not-this-one/users/${user.id}/suspend`,
      { headers },
    );
    expect(wrongDirectory.status).toBe(404);
  });

  it('answers 400 in the original experience, 401, 403 for site admins, 404 cross-tenant and unknown user', async () => {
    const original = await buildTenant(server.services, 'original');
    const t = await buildTenant(server.services, 'centralized');
    const other = await buildTenant(server.services, 'centralized');
    const user = await buildAccount(server.services, { orgId: t.org.id });
    const path = `/admin/v1/orgs/${t.org.id}/directory/users/${user.id}/suspend-access`;

    const wrong = await json(
      await server.request(
        'POST',
        `/admin/v1/orgs/${original.org.id}/directory/users/${original.admin.id}/suspend-access`,
        {
          headers: bearer(original.apiKey),
        },
      ),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].meta.code).toBe('directory.wrong_experience');
    expect((await server.request('POST', path)).status).toBe(401);
    const siteAdmin = await buildAccount(server.services, { orgId: t.org.id, siteAdminOf: [t.site.id] });
    expect(
      (await server.request('POST', path, { headers: await buildBasicAuth(server.services, siteAdmin) }))
        .status,
    ).toBe(403);
    expect((await server.request('POST', path, { headers: bearer(other.apiKey) })).status).toBe(404);
    const lastAdmin = await json(
      await server.request(
        'POST',
        `/admin/v1/orgs/${t.org.id}/directory/users/${t.admin.id}/suspend-access`,
        {
          headers: bearer(t.apiKey),
        },
      ),
    );
    expect(lastAdmin.status).toBe(409);
    expect(lastAdmin.body.errors[0].meta.code).toBe('directory.last_org_admin');
    const stranger = await buildAccount(server.services);
    const unknown = await json(
      await server.request(
        'POST',
        `/admin/v1/orgs/${t.org.id}/directory/users/${stranger.id}/suspend-access`,
        {
          headers: bearer(t.apiKey),
        },
      ),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].meta.code).toBe('directory.user_not_found');
  });
});

describe('admin API: "Has access on site" (original)', () => {
  it('toggles per site for org admins and that site admins; centralized → 400', async () => {
    const t = await buildTenant(server.services, 'original');
    const second = await buildSite(server.services, t.org.id);
    const user = await buildAccount(server.services, { orgId: t.org.id });
    const siteAdmin = await buildAccount(server.services, { orgId: t.org.id, siteAdminOf: [t.site.id] });
    const siteAdminAuth = await buildBasicAuth(server.services, siteAdmin);
    const path = (siteId: string) =>
      `/admin/v1/orgs/${t.org.id}/sites/${siteId}/users/${user.id}/site-access`;

    const off = await json(
      await server.request('PUT', path(t.site.id), { headers: siteAdminAuth, body: { hasAccess: false } }),
    );
    expect(off).toEqual({ status: 200, body: { siteId: t.site.id, accountId: user.id, hasAccess: false } });
    const refused = await server.request('PUT', path(second.site.id), {
      headers: siteAdminAuth,
      body: { hasAccess: false },
    });
    expect(refused.status).toBe(403);
    const detail = await json(
      await server.request('GET', `/admin/v1/orgs/${t.org.id}/directory/users/${user.id}`, {
        headers: siteAdminAuth,
      }),
    );
    const access = Object.fromEntries(
      detail.body.data.site_access.map((s: { site_id: string; has_access: boolean }) => [
        s.site_id,
        s.has_access,
      ]),
    );
    expect(access).toEqual({ [t.site.id]: false, [second.site.id]: true });
    const bad = await server.request('PUT', path(t.site.id), {
      headers: bearer(t.apiKey),
      body: { hasAccess: 'no' },
    });
    expect(bad.status).toBe(400);

    const c = await buildTenant(server.services, 'centralized');
    const wrong = await json(
      await server.request(
        'PUT',
        `/admin/v1/orgs/${c.org.id}/sites/${c.site.id}/users/${c.admin.id}/site-access`,
        {
          headers: bearer(c.apiKey),
          body: { hasAccess: false },
        },
      ),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].meta.code).toBe('directory.wrong_experience');
  });
});

describe('admin API: remove from org, admin roles', () => {
  it('removes membership, groups and admin roles; the account stays; the last org admin cannot go', async () => {
    const t = await buildTenant(server.services);
    const user = await buildAccount(server.services, { orgId: t.org.id, siteAdminOf: [t.site.id] });
    await giveProductRole(server.services, {
      orgId: t.org.id,
      productId: t.jira.id,
      accountId: user.id,
      role: 'user',
    });
    const headers = bearer(t.apiKey);
    const removed = await server.request('DELETE', `/admin/v1/orgs/${t.org.id}/directory/users/${user.id}`, {
      headers,
    });
    expect(removed.status).toBe(200);
    expect(await findAccount(server.services.db, user.id)).toBeDefined();
    const gone = await server.request('GET', `/admin/v1/orgs/${t.org.id}/directory/users/${user.id}`, {
      headers,
    });
    expect(gone.status).toBe(404);
    expect((await seatsOf(t.apiKey, t.org.id, t.jira.id)).used).toBe(0);

    const last = await json(
      await server.request(
        'DELETE',
        `/admin/v2/orgs/${t.org.id}/directories/${t.org.id}/users/${t.admin.id}`,
        { headers },
      ),
    );
    expect(last.status).toBe(409);
    expect(last.body.errors[0].meta.code).toBe('directory.last_org_admin');
    const member = await buildAccount(server.services, { orgId: t.org.id });
    const denied = await server.request(
      'DELETE',
      `/admin/v1/orgs/${t.org.id}/directory/users/${t.admin.id}`,
      {
        headers: await buildBasicAuth(server.services, member),
      },
    );
    expect(denied.status).toBe(403);
  });

  it('grants and revokes org admin and site admin roles', async () => {
    const t = await buildTenant(server.services, 'original');
    const other = await buildTenant(server.services, 'original');
    const user = await buildAccount(server.services, { orgId: t.org.id });
    const headers = bearer(t.apiKey);
    const path = `/admin/v1/orgs/${t.org.id}/users/${user.id}/admin-roles`;
    const missingSite = await server.request('POST', path, { headers, body: { role: 'site_admin' } });
    expect(missingSite.status).toBe(400);
    const foreignSite = await server.request('POST', path, {
      headers,
      body: { role: 'site_admin', siteId: other.site.id },
    });
    expect(foreignSite.status).toBe(404);
    expect(
      (await server.request('POST', path, { headers, body: { role: 'site_admin', siteId: t.site.id } }))
        .status,
    ).toBe(200);
    const userAuth = await buildBasicAuth(server.services, user);
    const asSiteAdmin = await server.request(
      'GET',
      `/admin/v1/orgs/${t.org.id}/sites/${t.site.id}/portal-only-customers`,
      {
        headers: userAuth,
      },
    );
    expect(asSiteAdmin.status).toBe(200);
    // Site admins cannot grant admin roles.
    const selfPromote = await server.request('POST', path, {
      headers: userAuth,
      body: { role: 'org_admin' },
    });
    expect(selfPromote.status).toBe(403);
    expect((await server.request('POST', path, { headers, body: { role: 'org_admin' } })).status).toBe(200);
    const detail = await json(
      await server.request('GET', `/admin/v1/orgs/${t.org.id}/directory/users/${user.id}`, { headers }),
    );
    expect(detail.body.data.admin_roles.map((r: { role: string }) => r.role).sort()).toEqual([
      'org_admin',
      'site_admin',
    ]);
    // Two org admins now: one may step down, then the other is the last.
    expect((await server.request('DELETE', path, { headers, body: { role: 'org_admin' } })).status).toBe(200);
    const last = await server.request(
      'DELETE',
      `/admin/v1/orgs/${t.org.id}/users/${t.admin.id}/admin-roles`,
      {
        headers,
        body: { role: 'org_admin' },
      },
    );
    expect(last.status).toBe(409);
  });
});

describe('admin API: user detail and the duplicate note', () => {
  it('lists live portal-only customers with the same email as portalOnlyTwins', async () => {
    const t = await buildTenant(server.services);
    const second = await buildSite(server.services, t.org.id);
    const user = await buildAccount(server.services, { orgId: t.org.id, email: 'dup@twins.test' });
    const c1 = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: 'DUP@twins.test',
      displayName: 'Dup One',
    });
    await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: second.site.id,
      email: 'dup@twins.test',
    });
    const elsewhere = await buildTenant(server.services);
    await buildCustomer(server.services, {
      orgId: elsewhere.org.id,
      siteId: elsewhere.site.id,
      email: 'dup@twins.test',
    });
    const detail = await json(
      await server.request('GET', `/admin/v1/orgs/${t.org.id}/directory/users/${user.id}`, {
        headers: bearer(t.apiKey),
      }),
    );
    expect(detail.status).toBe(200);
    expect(detail.body.data.portalOnlyTwins).toHaveLength(2);
    expect(detail.body.data.portalOnlyTwins).toContainEqual({
      customerId: c1.customer.id,
      siteId: t.site.id,
      siteName: t.site.name,
      displayName: 'Dup One',
      status: 'active',
    });
  });
});
