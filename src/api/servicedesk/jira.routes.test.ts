import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCustomer } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildDeskTenant, customerCookie } from '#src/test/factories/servicedesk.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

describe('Jira platform users', () => {
  it('returns accounts as atlassian and this site’s portal-only customers as customer; others are 404', async () => {
    const t = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, t.site, t.desk.id, { displayName: 'Ada' });
    const base = `/sites/${t.site.name}/rest/api/3`;
    const agent = await (
      await server.request('GET', `${base}/user?accountId=${t.agent.account.id}`, { headers: t.agent.auth })
    ).json();
    expect(agent).toMatchObject({ accountId: t.agent.account.id, accountType: 'atlassian' });
    expect(agent.groups.items.map((g: { name: string }) => g.name)).toContain(
      `jira-servicemanagement-users-${t.site.name}`,
    );
    const customer = await (
      await server.request('GET', `${base}/user?accountId=${encodeURIComponent(ada.customer.id)}`, {
        headers: t.agent.auth,
      })
    ).json();
    expect(customer).toMatchObject({
      accountId: ada.customer.id,
      accountType: 'customer',
      displayName: 'Ada',
    });
    const groups = await (
      await server.request('GET', `${base}/user/groups?accountId=${encodeURIComponent(ada.customer.id)}`, {
        headers: t.agent.auth,
      })
    ).json();
    expect(groups).toEqual([]);
    const other = await buildDeskTenant(server.services);
    const elsewhere = await buildCustomer(server.services, { orgId: other.org.id, siteId: other.site.id });
    const cross = await server.request(
      'GET',
      `${base}/user?accountId=${encodeURIComponent(elsewhere.customer.id)}`,
      { headers: t.agent.auth },
    );
    expect(cross.status).toBe(404);
    const myself = await (await server.request('GET', `${base}/myself`, { headers: t.agent.auth })).json();
    expect(myself.accountId).toBe(t.agent.account.id);
    const cookie = await customerCookie(server.services, ada.customer);
    const me = await (await server.request('GET', `${base}/myself`, { headers: cookie })).json();
    expect(me).toMatchObject({ accountId: ada.customer.id, accountType: 'customer' });
    const wrongSite = await server.request('GET', `/sites/${other.site.name}/rest/api/3/myself`, {
      headers: cookie,
    });
    expect(wrongSite.status).toBe(401);
  });
});
