import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildBasicAuth, buildCustomer } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildDeskTenant, buildServiceDesk } from '#src/test/factories/servicedesk.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const sd = (site: string, path: string) => `/sites/${site}/rest/servicedeskapi/${path}`;
const OPT_IN = { 'x-experimentalapi': 'opt-in' };

describe('JSM service desk customers', () => {
  it('requires the experimental header on GET and DELETE', async () => {
    const t = await buildDeskTenant(server.services);
    const get = await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}/customer`), {
      headers: t.agent.auth,
    });
    expect(get.status).toBe(400);
    const del = await server.request('DELETE', sd(t.site.name, `servicedesk/${t.desk.id}/customer`), {
      headers: t.agent.auth,
      body: { accountIds: [] },
    });
    expect(del.status).toBe(400);
  });

  it('adds customers (204 even when present), and with a missing id answers 400 yet adds the valid ones', async () => {
    const t = await buildDeskTenant(server.services);
    const ada = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      displayName: 'Ada Lovelace',
    });
    const bob = await buildCustomer(server.services, { orgId: t.org.id, siteId: t.site.id });
    const path = sd(t.site.name, `servicedesk/${t.desk.id}/customer`);
    for (let i = 0; i < 2; i++) {
      const added = await server.request('POST', path, {
        headers: t.agent.auth,
        body: { accountIds: [ada.customer.id] },
      });
      expect(added.status).toBe(204);
    }
    const partial = await server.request('POST', path, {
      headers: t.agent.auth,
      body: { accountIds: [bob.customer.id, 'qm:00000000-0000-0000-0000-000000000000:abc'] },
    });
    expect(partial.status).toBe(400);
    expect((await partial.json()).i18nErrorMessage.i18nKey).toBe('servicedesk.customer_not_found');
    const list = await (
      await server.request('GET', path, { headers: { ...t.agent.auth, ...OPT_IN } })
    ).json();
    expect(list.values.map((u: { accountId: string }) => u.accountId).sort()).toEqual(
      [ada.customer.id, bob.customer.id].sort(),
    );
    const filtered = await (
      await server.request('GET', `${path}?query=lovelace`, { headers: { ...t.agent.auth, ...OPT_IN } })
    ).json();
    expect(filtered.values).toHaveLength(1);
    expect(filtered.values[0]).toMatchObject({ displayName: 'Ada Lovelace', active: true });
  });

  it('removes customers only from a restricted desk, and only agents may manage them', async () => {
    const t = await buildDeskTenant(server.services);
    const open = await buildServiceDesk(server.services, t.site, { access: 'open' });
    const ada = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const openDelete = await server.request(
      'DELETE',
      sd(t.site.name, `servicedesk/${open.desk.id}/customer`),
      {
        headers: { ...t.agent.auth, ...OPT_IN },
        body: { accountIds: [ada.customer.id] },
      },
    );
    expect(openDelete.status).toBe(400);
    expect((await openDelete.json()).i18nErrorMessage.i18nKey).toBe('servicedesk.access_not_closed');
    const member = await buildAccount(server.services, { orgId: t.org.id });
    const denied = await server.request('POST', sd(t.site.name, `servicedesk/${t.desk.id}/customer`), {
      headers: await buildBasicAuth(server.services, member),
      body: { accountIds: [ada.customer.id] },
    });
    expect(denied.status).toBe(403);
    const removed = await server.request('DELETE', sd(t.site.name, `servicedesk/${t.desk.id}/customer`), {
      headers: { ...t.agent.auth, ...OPT_IN },
      body: { accountIds: [ada.customer.id] },
    });
    expect(removed.status).toBe(204);
    const list = await (
      await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}/customer`), {
        headers: { ...t.agent.auth, ...OPT_IN },
      })
    ).json();
    expect(list.values).toEqual([]);
  });
});
