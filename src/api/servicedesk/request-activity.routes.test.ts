import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildBasicAuth } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildDeskTenant, customerCookie } from '#src/test/factories/servicedesk.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const sd = (site: string, path: string) => `/sites/${site}/rest/servicedeskapi/${path}`;

/** A desk tenant, a portal customer of it with a cookie, and a request the agent raised for that customer. */
async function requestScene() {
  const t = await buildDeskTenant(server.services);
  const customer = await buildDeskCustomer(server.services, t.site, t.desk.id);
  const cookie = await customerCookie(server.services, { id: customer.customer.id, siteId: t.site.id });
  const created = await server.request('POST', sd(t.site.name, 'request'), {
    headers: t.agent.auth,
    body: {
      serviceDeskId: String(t.desk.id),
      requestTypeId: String(t.requestType.id),
      requestFieldValues: { summary: 'VPN down' },
      raiseOnBehalfOf: customer.customer.id,
    },
  });
  expect(created.status).toBe(201);
  const request = (await created.json()) as { issueKey: string; issueId: string };
  return { t, customer, cookie, request };
}

async function transition(
  t: { site: { name: string } },
  key: string,
  id: string,
  headers: Record<string, string>,
) {
  const response = await server.request('POST', sd(t.site.name, `request/${key}/transition`), {
    headers,
    body: { id },
  });
  expect(response.status, await response.clone().text()).toBe(204);
}

describe('JSM request types across desks and /info', () => {
  it('lists every type for agents, open types of reachable desks for customers; filters; 404 for foreign desks', async () => {
    const { t, cookie } = await requestScene();
    const agent = await server.request('GET', sd(t.site.name, 'requesttype'), { headers: t.agent.auth });
    expect(agent.status).toBe(200);
    const agentNames = (await agent.json()).values.map((v: { name: string }) => v.name);
    expect(agentNames).toEqual(['Get IT help', 'Internal only']);
    const customer = await server.request('GET', sd(t.site.name, 'requesttype'), { headers: cookie });
    expect((await customer.json()).values.map((v: { name: string }) => v.name)).toEqual(['Get IT help']);
    const search = await server.request('GET', `${sd(t.site.name, 'requesttype')}?searchQuery=internal`, {
      headers: t.agent.auth,
    });
    expect((await search.json()).values.map((v: { name: string }) => v.name)).toEqual(['Internal only']);
    const byDesk = await server.request(
      'GET',
      `${sd(t.site.name, 'requesttype')}?serviceDeskId=${t.desk.id}`,
      {
        headers: t.agent.auth,
      },
    );
    expect((await byDesk.json()).size).toBe(2);
    const other = await buildDeskTenant(server.services);
    const foreign = await server.request(
      'GET',
      `${sd(t.site.name, 'requesttype')}?serviceDeskId=${other.desk.id}`,
      {
        headers: t.agent.auth,
      },
    );
    expect(foreign.status).toBe(404);
    const crossTenant = await server.request('GET', sd(t.site.name, 'requesttype'), {
      headers: other.agent.auth,
    });
    expect(crossTenant.status).toBe(200);
    // An agent of another org is a mere account holder here: no desk of this restricted site is reachable.
    expect((await crossTenant.json()).values).toEqual([]);
    const otherKey = await server.request('GET', sd(t.site.name, 'requesttype'), {
      headers: bearer(other.apiKey),
    });
    expect(otherKey.status).toBe(404);
    expect((await server.request('GET', sd(t.site.name, 'requesttype'))).status).toBe(401);
  });

  it('answers /info to authenticated callers only', async () => {
    const t = await buildDeskTenant(server.services);
    const info = await server.request('GET', sd(t.site.name, 'info'), { headers: t.agent.auth });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ isLicensedForUse: true, version: expect.any(String) });
    expect((await server.request('GET', sd(t.site.name, 'info'))).status).toBe(401);
  });

  it('answers /myself with an org API key 403 (it is no user) and another org’s key 404', async () => {
    const t = await buildDeskTenant(server.services);
    const own = await server.request('GET', `/sites/${t.site.name}/rest/api/3/myself`, {
      headers: bearer(t.apiKey),
    });
    expect(own.status).toBe(403);
    const other = await buildDeskTenant(server.services);
    const foreign = await server.request('GET', `/sites/${t.site.name}/rest/api/3/myself`, {
      headers: bearer(other.apiKey),
    });
    expect(foreign.status).toBe(404);
  });

  it('caps an oversized limit and reports the limit used', async () => {
    const t = await buildDeskTenant(server.services);
    const page = await server.request('GET', `${sd(t.site.name, 'requesttype')}?limit=5000`, {
      headers: t.agent.auth,
    });
    expect(page.status).toBe(200);
    expect((await page.json()).limit).toBe(100);
  });
});

describe('status history and SLA', () => {
  it('pages every status change newest first and computes both SLA clocks from it', async () => {
    const { t, request } = await requestScene();
    await transition(t, request.issueKey, '11', t.agent.auth);
    await transition(t, request.issueKey, '31', t.agent.auth);
    const history = await server.request(
      'GET',
      sd(t.site.name, `request/${request.issueKey}/status?limit=2`),
      {
        headers: t.agent.auth,
      },
    );
    expect(history.status).toBe(200);
    const page = await history.json();
    expect(page.values.map((v: { status: string }) => v.status)).toEqual(['Resolved', 'In progress']);
    expect(page.isLastPage).toBe(false);
    const rest = await server.request('GET', sd(t.site.name, `request/${request.issueKey}/status?start=2`), {
      headers: t.agent.auth,
    });
    expect((await rest.json()).values.map((v: { status: string }) => v.status)).toEqual([
      'Waiting for support',
    ]);

    const sla = await server.request('GET', sd(t.site.name, `request/${request.issueKey}/sla`), {
      headers: t.agent.auth,
    });
    expect(sla.status).toBe(200);
    const metrics = (await sla.json()).values;
    expect(metrics.map((m: { name: string }) => m.name)).toEqual([
      'Time to first response',
      'Time to resolution',
    ]);
    expect(metrics[0].completedCycles).toHaveLength(1);
    expect(metrics[1].completedCycles).toHaveLength(1);
    expect(metrics[1].completedCycles[0]).toMatchObject({
      breached: false,
      goalDuration: { millis: 16 * 3_600_000 },
    });
    expect(metrics[1].ongoingCycle).toBeUndefined();
    const one = await server.request('GET', new URL(metrics[1]._links.self).pathname, {
      headers: t.agent.auth,
    });
    expect(one.status).toBe(200);
    expect((await one.json()).name).toBe('Time to resolution');

    // Reopened: a new resolution cycle runs.
    await transition(t, request.issueKey, '51', t.agent.auth);
    const again = await server.request('GET', sd(t.site.name, `request/${request.issueKey}/sla/2`), {
      headers: t.agent.auth,
    });
    expect((await again.json()).ongoingCycle).toMatchObject({ paused: false, breached: false });
  });

  it('keeps history and SLA of an invisible or foreign request a 404', async () => {
    const { t, request } = await requestScene();
    const stranger = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const cookie = await customerCookie(server.services, { id: stranger.customer.id, siteId: t.site.id });
    for (const path of ['status', 'sla', 'sla/1', 'feedback', 'notification']) {
      const response = await server.request('GET', sd(t.site.name, `request/${request.issueKey}/${path}`), {
        headers: cookie,
      });
      expect(response.status, path).toBe(404);
    }
    const other = await buildDeskTenant(server.services);
    const foreign = await server.request('GET', sd(t.site.name, `request/${request.issueKey}/sla`), {
      headers: bearer(other.apiKey),
    });
    expect(foreign.status).toBe(404);
    const unknownMetric = await server.request('GET', sd(t.site.name, `request/${request.issueKey}/sla/9`), {
      headers: t.agent.auth,
    });
    expect(unknownMetric.status).toBe(404);
  });
});

describe('queues', () => {
  it('lists the default queues with counts and their requests for agents; customers get 403', async () => {
    const { t, cookie, request } = await requestScene();
    const queues = await server.request(
      'GET',
      `${sd(t.site.name, `servicedesk/${t.desk.id}/queue`)}?includeCount=true`,
      {
        headers: t.agent.auth,
      },
    );
    expect(queues.status).toBe(200);
    const values = (await queues.json()).values as Array<{ id: string; name: string; issueCount: number }>;
    expect(values.find((q) => q.name === 'All open')?.issueCount).toBe(1);
    expect(values.find((q) => q.name === 'Resolved')?.issueCount).toBe(0);
    const issues = await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}/queue/1/issue`), {
      headers: t.agent.auth,
    });
    expect(issues.status).toBe(200);
    expect((await issues.json()).values.map((i: { key: string }) => i.key)).toEqual([request.issueKey]);
    const one = await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}/queue/2`), {
      headers: t.agent.auth,
    });
    expect((await one.json()).name).toBe('Unassigned issues');
    const missing = await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}/queue/99/issue`), {
      headers: t.agent.auth,
    });
    expect(missing.status).toBe(404);
    const customer = await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}/queue`), {
      headers: cookie,
    });
    expect(customer.status).toBe(403);
    const other = await buildDeskTenant(server.services);
    const foreign = await server.request('GET', sd(other.site.name, `servicedesk/${other.desk.id}/queue`), {
      headers: bearer(t.apiKey),
    });
    expect(foreign.status).toBe(404);
  });
});

describe('feedback', () => {
  it('lets the reporter rate a resolved request, read and withdraw it; others get 403', async () => {
    const { t, cookie, request } = await requestScene();
    const path = sd(t.site.name, `request/${request.issueKey}/feedback`);
    const early = await server.request('POST', path, { headers: cookie, body: { rating: 5 } });
    expect(early.status).toBe(400);
    await transition(t, request.issueKey, '31', t.agent.auth);
    const byAgent = await server.request('POST', path, { headers: t.agent.auth, body: { rating: 1 } });
    expect(byAgent.status).toBe(403);
    const invalid = await server.request('POST', path, { headers: cookie, body: { rating: 6 } });
    expect(invalid.status).toBe(400);
    const rated = await server.request('POST', path, {
      headers: cookie,
      body: { type: 'csat', rating: 4, comment: { body: 'Quick, thanks' } },
    });
    expect(rated.status, await rated.clone().text()).toBe(200);
    const read = await server.request('GET', path, { headers: t.agent.auth });
    expect(await read.json()).toEqual({ type: 'csat', rating: 4, comment: { body: 'Quick, thanks' } });
    expect((await server.request('DELETE', path, { headers: t.agent.auth })).status).toBe(403);
    expect((await server.request('DELETE', path, { headers: cookie })).status).toBe(204);
    expect((await server.request('GET', path, { headers: cookie })).status).toBe(404);
    expect((await server.request('DELETE', path, { headers: cookie })).status).toBe(404);
  });
});

describe('notification subscriptions', () => {
  it('subscribes the reporter by default, lets people choose, and refuses an org API key', async () => {
    const { t, cookie, request } = await requestScene();
    const path = sd(t.site.name, `request/${request.issueKey}/notification`);
    expect(await (await server.request('GET', path, { headers: cookie })).json()).toEqual({
      subscribed: true,
    });
    expect(await (await server.request('GET', path, { headers: t.agent.auth })).json()).toEqual({
      subscribed: false,
    });
    expect((await server.request('DELETE', path, { headers: cookie })).status).toBe(204);
    expect(await (await server.request('GET', path, { headers: cookie })).json()).toEqual({
      subscribed: false,
    });
    expect((await server.request('PUT', path, { headers: t.agent.auth })).status).toBe(204);
    expect(await (await server.request('GET', path, { headers: t.agent.auth })).json()).toEqual({
      subscribed: true,
    });
    expect((await server.request('PUT', path, { headers: bearer(t.apiKey) })).status).toBe(403);
    const outsider = await buildAccount(server.services, {});
    const outsiderAuth = await buildBasicAuth(server.services, outsider);
    expect((await server.request('PUT', path, { headers: outsiderAuth })).status).toBe(404);
  });
});
