import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildBasicAuth } from '#src/test/factories/directory.ts';
import { buildDeskTenant, buildServiceDesk } from '#src/test/factories/servicedesk.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const sd = (site: string, path: string) => `/sites/${site}/rest/servicedeskapi/${path}`;

describe('JSM request types', () => {
  it('lists request types (restricted ones for agents only) and 404s a type of another desk', async () => {
    const t = await buildDeskTenant(server.services, { access: 'open' });
    const other = await buildServiceDesk(server.services, t.site);
    const agentList = await (
      await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}/requesttype`), {
        headers: t.agent.auth,
      })
    ).json();
    expect(agentList.values.map((r: { name: string }) => r.name)).toEqual(['Get IT help', 'Internal only']);
    const groups = await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}/requesttypegroup`), {
      headers: t.agent.auth,
    });
    expect(await groups.json()).toMatchObject({ size: 0, isLastPage: true, values: [] });
    const customer = await buildAccount(server.services);
    const customerList = await (
      await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}/requesttype`), {
        headers: await buildBasicAuth(server.services, customer),
      })
    ).json();
    expect(customerList.values.map((r: { name: string }) => r.name)).toEqual(['Get IT help']);
    const one = await server.request(
      'GET',
      sd(t.site.name, `servicedesk/${t.desk.id}/requesttype/${t.requestType.id}`),
      { headers: t.agent.auth },
    );
    expect(await one.json()).toMatchObject({
      id: String(t.requestType.id),
      serviceDeskId: String(t.desk.id),
      restrictionStatus: 'OPEN',
    });
    const wrong = await server.request(
      'GET',
      sd(t.site.name, `servicedesk/${t.desk.id}/requesttype/${other.requestType.id}`),
      { headers: t.agent.auth },
    );
    expect(wrong.status).toBe(404);
  });
});
