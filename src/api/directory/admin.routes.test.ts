import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantProductAccess } from '#src/domain/directory/grant-product-access.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { buildAccount, buildBasicAuth, buildTenant } from '#src/test/factories/directory.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

describe('admin API: organizations, users, groups', () => {
  it('answers 401 without credentials and with an unknown key', async () => {
    const { org } = await buildTenant(server.services);
    for (const headers of [{}, bearer('ghk_not-a-real-key')]) {
      const response = await server.request('GET', `/admin/v1/orgs/${org.id}/users`, { headers });
      expect(response.status).toBe(401);
      const body = await response.json();
      expect(body.errors[0]).toMatchObject({
        status: '401',
        code: 'ADMIN-401-1',
        title: 'Unauthenticated',
        meta: { code: 'auth.unauthenticated' },
      });
    }
  });

  it('lets an org admin in with Basic email:api-token, and answers 403 to a plain member', async () => {
    const { org, admin } = await buildTenant(server.services);
    const ok = await server.request('GET', `/admin/v1/orgs/${org.id}/users`, {
      headers: await buildBasicAuth(server.services, admin),
    });
    expect(ok.status).toBe(200);
    const member = await buildAccount(server.services, { orgId: org.id });
    const denied = await server.request('GET', `/admin/v1/orgs/${org.id}/users`, {
      headers: await buildBasicAuth(server.services, member),
    });
    expect(denied.status).toBe(403);
    expect((await denied.json()).errors[0].meta.code).toBe('auth.forbidden');
  });

  it('lists the org of the key and the org itself', async () => {
    const { org, apiKey } = await buildTenant(server.services, 'original');
    const list = await (await server.request('GET', '/admin/v1/orgs', { headers: bearer(apiKey) })).json();
    expect(list.data.map((o: { id: string }) => o.id)).toEqual([org.id]);
    const one = await server.request('GET', `/admin/v1/orgs/${org.id}`, { headers: bearer(apiKey) });
    expect(one.status).toBe(200);
    expect((await one.json()).data.attributes).toEqual({ name: org.name, userManagement: 'original' });
  });

  it('lists for an account only the orgs it may open (a site admin of a centralized org sees none)', async () => {
    const { org, site } = await buildTenant(server.services, 'centralized');
    const siteAdmin = await buildAccount(server.services, { orgId: org.id, siteAdminOf: [site.id] });
    const headers = await buildBasicAuth(server.services, siteAdmin);
    const list = await (await server.request('GET', '/admin/v1/orgs', { headers })).json();
    expect(list.data).toEqual([]);
    expect((await server.request('GET', `/admin/v1/orgs/${org.id}`, { headers })).status).toBe(403);
    const orgAdmin = await buildAccount(server.services, { orgId: org.id, orgAdmin: true });
    const adminHeaders = await buildBasicAuth(server.services, orgAdmin);
    const own = await (await server.request('GET', '/admin/v1/orgs', { headers: adminHeaders })).json();
    expect(own.data.map((o: { id: string }) => o.id)).toEqual([org.id]);
  });

  it("answers 404 for another org's resources, the same as for a missing org", async () => {
    const mine = await buildTenant(server.services);
    const theirs = await buildTenant(server.services);
    for (const path of [
      `/admin/v1/orgs/${theirs.org.id}`,
      `/admin/v1/orgs/${theirs.org.id}/users`,
      `/admin/v1/orgs/${theirs.org.id}/groups`,
      '/admin/v1/orgs/no-such-org/users',
    ]) {
      const response = await server.request('GET', path, { headers: bearer(mine.apiKey) });
      expect(response.status, path).toBe(404);
      // Atlassian's code and title for clients, Gatehouse's own code in meta.
      expect((await response.json()).errors[0]).toMatchObject({
        status: '404',
        code: 'ADMIN-404-2',
        title: 'Organization not found',
        meta: { code: 'directory.org_not_found' },
      });
    }
  });

  it('pages users with a working links.next until every member is seen once', async () => {
    const { org, apiKey, admin } = await buildTenant(server.services);
    const members = [admin.id];
    for (let i = 0; i < 4; i++) members.push((await buildAccount(server.services, { orgId: org.id })).id);
    await buildAccount(server.services); // not a member: never listed
    const seen: string[] = [];
    let next: string | undefined = `/admin/v1/orgs/${org.id}/users?limit=2`;
    let pages = 0;
    while (next) {
      const response = await server.request('GET', next, { headers: bearer(apiKey) });
      expect(response.status).toBe(200);
      const page = await response.json();
      expect(page.meta.total).toBe(5);
      seen.push(...page.data.map((u: { account_id: string }) => u.account_id));
      next = page.links.next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(members.sort());
  });

  it('shows product access and billability of a user', async () => {
    const { org, apiKey, admin } = await buildTenant(server.services);
    const page = await (
      await server.request('GET', `/admin/v1/orgs/${org.id}/users`, { headers: bearer(apiKey) })
    ).json();
    const me = page.data.find((u: { account_id: string }) => u.account_id === admin.id);
    expect(me).toMatchObject({
      email: admin.email,
      account_type: 'atlassian',
      account_status: 'active',
      access_billable: false,
      product_access: [],
    });
  });

  it('links product access to the site by its name, and bills agents', async () => {
    const { org, site, jsm, apiKey } = await buildTenant(server.services);
    const agent = await buildAccount(server.services, { orgId: org.id });
    await grantProductAccess(server.services, SYSTEM, {
      orgId: org.id,
      productId: jsm.id,
      accountId: agent.id,
      role: 'user',
    });
    const page = await (
      await server.request('GET', `/admin/v1/orgs/${org.id}/users?limit=100`, { headers: bearer(apiKey) })
    ).json();
    const listed = page.data.find((u: { account_id: string }) => u.account_id === agent.id);
    expect(listed.access_billable).toBe(true);
    expect(listed.product_access).toEqual([
      {
        key: 'jira-servicemanagement',
        name: jsm.name,
        url: `http://gatehouse.test/sites/${site.name}`,
        role: 'user',
        last_active: null,
      },
    ]);
  });

  it('lists default groups including the customer group of the site', async () => {
    const { org, site, apiKey } = await buildTenant(server.services);
    const page = await (
      await server.request('GET', `/admin/v1/orgs/${org.id}/groups?limit=100`, { headers: bearer(apiKey) })
    ).json();
    const names = page.data.map((g: { name: string }) => g.name);
    expect(names).toContain(`jira-servicemanagement-customers-${site.name}`);
    expect(names).toContain(`jira-servicemanagement-users-${site.name}`);
    const customerGroup = page.data.find((g: { name: string }) =>
      g.name.startsWith('jira-servicemanagement-customers-'),
    );
    expect(customerGroup).toMatchObject({ role: 'customer', is_default: true });
  });

  it('rejects a malformed cursor and a bad limit with 400 in the Admin API shape', async () => {
    const { org, apiKey } = await buildTenant(server.services);
    for (const query of ['cursor=%%%garbage', 'limit=0', 'limit=abc']) {
      const response = await server.request('GET', `/admin/v1/orgs/${org.id}/users?${query}`, {
        headers: bearer(apiKey),
      });
      expect(response.status, query).toBe(400);
      const [error] = (await response.json()).errors;
      expect(error.meta.code).toBe('request.invalid_input');
      // Atlassian names a bad page cursor apart from other bad input.
      expect(error.code, query).toBe(query.startsWith('cursor') ? 'ADMIN-400-1' : 'ADMIN-400-24');
    }
  });

  it('answers unknown routes with 404 in the shape of their surface', async () => {
    const admin = await server.request('GET', '/admin/v1/nothing-here');
    expect(admin.status).toBe(404);
    expect((await admin.json()).errors[0]).toMatchObject({
      code: 'ADMIN-404-1',
      title: 'Unknown resource',
      meta: { code: 'request.not_found' },
    });
    const jsm = await server.request('GET', '/sites/x/rest/servicedeskapi/nothing');
    expect(jsm.status).toBe(404);
    expect(await jsm.json()).toMatchObject({ i18nErrorMessage: { i18nKey: 'request.not_found' } });
  });
});
