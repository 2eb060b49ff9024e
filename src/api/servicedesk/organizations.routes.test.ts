import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildBasicAuth } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildDeskTenant } from '#src/test/factories/servicedesk.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const sd = (site: string, path: string) => `/sites/${site}/rest/servicedeskapi/${path}`;

describe('JSM customer organizations', () => {
  it('creates, lists, gets, fills, attaches and deletes organizations', async () => {
    const t = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const created = await server.request('POST', sd(t.site.name, 'organization'), {
      headers: t.agent.auth,
      body: { name: 'Acme Ltd' },
    });
    expect(created.status).toBe(201);
    const org = await created.json();
    const duplicate = await server.request('POST', sd(t.site.name, 'organization'), {
      headers: t.agent.auth,
      body: { name: 'acme ltd' },
    });
    expect(duplicate.status).toBe(409);
    expect((await duplicate.json()).i18nErrorMessage.i18nKey).toBe('servicedesk.organization_name_in_use');
    const empty = await server.request('POST', sd(t.site.name, 'organization'), {
      headers: t.agent.auth,
      body: { name: '' },
    });
    expect(empty.status).toBe(400);
    const users = sd(t.site.name, `organization/${org.id}/user`);
    const missing = await server.request('POST', users, {
      headers: t.agent.auth,
      body: { accountIds: [ada.customer.id, 'nobody'] },
    });
    expect(missing.status).toBe(400);
    expect((await (await server.request('GET', users, { headers: t.agent.auth })).json()).values).toEqual([]);
    expect(
      (
        await server.request('POST', users, {
          headers: t.agent.auth,
          body: { accountIds: [ada.customer.id] },
        })
      ).status,
    ).toBe(204);
    const members = await (await server.request('GET', users, { headers: t.agent.auth })).json();
    expect(members.values.map((u: { accountId: string }) => u.accountId)).toEqual([ada.customer.id]);
    const mine = await (
      await server.request(
        'GET',
        `${sd(t.site.name, 'organization')}?accountId=${encodeURIComponent(ada.customer.id)}`,
        { headers: t.agent.auth },
      )
    ).json();
    expect(mine.values.map((o: { name: string }) => o.name)).toEqual(['Acme Ltd']);
    const attach = await server.request('POST', sd(t.site.name, `servicedesk/${t.desk.id}/organization`), {
      headers: t.agent.auth,
      body: { organizationId: Number(org.id) },
    });
    expect(attach.status).toBe(204);
    const deskOrgs = await (
      await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}/organization`), {
        headers: t.agent.auth,
      })
    ).json();
    expect(deskOrgs.values.map((o: { id: string }) => o.id)).toEqual([org.id]);
    const removeMember = await server.request('DELETE', users, {
      headers: t.agent.auth,
      body: { accountIds: [ada.customer.id] },
    });
    expect(removeMember.status).toBe(204);
    expect((await (await server.request('GET', users, { headers: t.agent.auth })).json()).values).toEqual([]);
    const detach = await server.request('DELETE', sd(t.site.name, `servicedesk/${t.desk.id}/organization`), {
      headers: t.agent.auth,
      body: { organizationId: Number(org.id) },
    });
    expect(detach.status).toBe(204);
    const detached = await (
      await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}/organization`), {
        headers: t.agent.auth,
      })
    ).json();
    expect(detached.values).toEqual([]);
    const other = await buildDeskTenant(server.services);
    const cross = await server.request('GET', sd(other.site.name, `organization/${org.id}`), {
      headers: other.agent.auth,
    });
    expect(cross.status).toBe(404);
    const member = await buildAccount(server.services, { orgId: t.org.id });
    const forbidden = await server.request('DELETE', sd(t.site.name, `organization/${org.id}`), {
      headers: await buildBasicAuth(server.services, member),
    });
    expect(forbidden.status).toBe(403);
    expect(
      (await server.request('DELETE', sd(t.site.name, `organization/${org.id}`), { headers: t.agent.auth }))
        .status,
    ).toBe(204);
    expect(
      (await server.request('GET', sd(t.site.name, `organization/${org.id}`), { headers: t.agent.auth }))
        .status,
    ).toBe(404);
  });
});
