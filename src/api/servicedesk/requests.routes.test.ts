import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestComments, type requestParticipants, requests } from '#src/db/schema/index.ts';
import { buildAccount, buildBasicAuth } from '#src/test/factories/directory.ts';
import {
  buildDeskCustomer,
  buildDeskTenant,
  buildServiceDesk,
  customerCookie,
} from '#src/test/factories/servicedesk.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const sd = (site: string, path: string) => `/sites/${site}/rest/servicedeskapi/${path}`;

async function countRows(
  table: typeof requests | typeof requestComments | typeof requestParticipants,
  where?: ReturnType<typeof eq>,
) {
  const [row] = await server.services.db.select({ n: count() }).from(table).where(where);
  return Number(row?.n ?? 0);
}

/** Raises a request through the API as an agent on behalf of a customer; returns the JSON. */
async function raise(
  t: Awaited<ReturnType<typeof buildDeskTenant>>,
  onBehalfOf: string,
  summary = 'Printer on fire',
) {
  const response = await server.request('POST', sd(t.site.name, 'request'), {
    headers: t.agent.auth,
    body: {
      serviceDeskId: String(t.desk.id),
      requestTypeId: String(t.requestType.id),
      requestFieldValues: { summary, description: 'Smoke everywhere' },
      raiseOnBehalfOf: onBehalfOf,
    },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return response.json();
}

describe('JSM requests', () => {
  it('creates requests on behalf of a customer with per-desk keys, and gets them with expand', async () => {
    const t = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, t.site, t.desk.id, { displayName: 'Ada' });
    const first = await raise(t, ada.customer.id);
    const second = await raise(t, ada.customer.id, 'Second');
    expect(first.issueKey).toBe(`${t.desk.projectKey}-1`);
    expect(second.issueKey).toBe(`${t.desk.projectKey}-2`);
    expect(first).toMatchObject({
      reporter: { accountId: ada.customer.id, displayName: 'Ada' },
      summary: 'Printer on fire',
      currentStatus: { status: 'Waiting for support', statusCategory: 'NEW' },
    });
    expect(first.createdDate).toMatchObject({
      epochMillis: expect.any(Number),
      jira: expect.stringMatching(/\+0000$/),
    });
    const got = await server.request(
      'GET',
      `${sd(t.site.name, `request/${first.issueKey}`)}?expand=participant,status,comment`,
      {
        headers: t.agent.auth,
      },
    );
    expect(got.status).toBe(200);
    const body = await got.json();
    expect(body.participants).toMatchObject({ size: 0, values: [] });
    expect(body.status.values[0].status).toBe('Waiting for support');
  });

  it('refuses a request type of another desk (404) and an unknown reporter (400), writing nothing', async () => {
    const t = await buildDeskTenant(server.services);
    const other = await buildServiceDesk(server.services, t.site);
    const ada = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const before = await countRows(requests, eq(requests.serviceDeskId, t.desk.id));
    const wrongType = await server.request('POST', sd(t.site.name, 'request'), {
      headers: t.agent.auth,
      body: {
        serviceDeskId: String(t.desk.id),
        requestTypeId: String(other.requestType.id),
        requestFieldValues: { summary: 'x' },
        raiseOnBehalfOf: ada.customer.id,
      },
    });
    expect(wrongType.status).toBe(404);
    expect((await wrongType.json()).i18nErrorMessage.i18nKey).toBe('servicedesk.request_type_not_found');
    const unknown = await server.request('POST', sd(t.site.name, 'request'), {
      headers: t.agent.auth,
      body: {
        serviceDeskId: String(t.desk.id),
        requestTypeId: String(t.requestType.id),
        requestFieldValues: { summary: 'x' },
        raiseOnBehalfOf: 'qm:00000000-0000-0000-0000-000000000000:abc',
      },
    });
    expect(unknown.status).toBe(400);
    const invalid = await server.request('POST', sd(t.site.name, 'request'), {
      headers: t.agent.auth,
      body: { serviceDeskId: String(t.desk.id), requestTypeId: 'abc', requestFieldValues: {} },
    });
    expect(invalid.status).toBe(400);
    expect(await countRows(requests, eq(requests.serviceDeskId, t.desk.id))).toBe(before);
  });

  it('lists requests with filters, and a stranger sees none of them (404 on get)', async () => {
    const t = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const a = await raise(t, ada.customer.id, 'Laptop broken');
    await raise(t, ada.customer.id, 'VPN down');
    await server.request('POST', sd(t.site.name, `request/${a.issueKey}/transition`), {
      headers: t.agent.auth,
      body: { id: '31' },
    });
    const all = await (
      await server.request('GET', sd(t.site.name, 'request'), { headers: t.agent.auth })
    ).json();
    expect(all.values.map((r: { summary: string }) => r.summary)).toEqual(['Laptop broken', 'VPN down']);
    const open = await (
      await server.request('GET', `${sd(t.site.name, 'request')}?requestStatus=OPEN_REQUESTS`, {
        headers: t.agent.auth,
      })
    ).json();
    expect(open.values.map((r: { summary: string }) => r.summary)).toEqual(['VPN down']);
    const search = await (
      await server.request('GET', `${sd(t.site.name, 'request')}?searchTerm=laptop`, {
        headers: t.agent.auth,
      })
    ).json();
    expect(search.values).toHaveLength(1);
    const paged = await (
      await server.request('GET', `${sd(t.site.name, 'request')}?limit=1`, { headers: t.agent.auth })
    ).json();
    expect(paged).toMatchObject({ size: 1, isLastPage: false });
    expect(paged._links.next).toContain('start=1');
    const stranger = await buildBasicAuth(server.services, await buildAccount(server.services));
    const theirs = await (
      await server.request('GET', sd(t.site.name, 'request'), { headers: stranger })
    ).json();
    expect(theirs.values).toEqual([]);
    const hidden = await server.request('GET', sd(t.site.name, `request/${a.issueKey}`), {
      headers: stranger,
    });
    expect(hidden.status).toBe(404);
  });

  it('keeps internal comments from customers and refuses comments on invisible requests', async () => {
    const t = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const request = await raise(t, ada.customer.id);
    const path = sd(t.site.name, `request/${request.issueKey}/comment`);
    const pub = await server.request('POST', path, {
      headers: t.agent.auth,
      body: { body: 'We are on it', public: true },
    });
    expect(pub.status).toBe(201);
    const internal = await server.request('POST', path, {
      headers: t.agent.auth,
      body: { body: 'Secret note', public: false },
    });
    expect((await internal.json()).public).toBe(false);
    const agentView = await (await server.request('GET', path, { headers: t.agent.auth })).json();
    expect(agentView.values.map((c: { body: string }) => c.body)).toEqual(['We are on it', 'Secret note']);
    const onlyInternal = await (
      await server.request('GET', `${path}?public=false`, { headers: t.agent.auth })
    ).json();
    expect(onlyInternal.values.map((c: { body: string }) => c.body)).toEqual(['Secret note']);

    const cookie = await customerCookie(server.services, ada.customer);
    const customerView = await server.request('GET', `${path}?internal=true`, { headers: cookie });
    expect(customerView.status).toBe(200);
    expect((await customerView.json()).values.map((c: { body: string }) => c.body)).toEqual(['We are on it']);
    const internalId = agentView.values[1].id;
    const single = await server.request('GET', `${path}/${internalId}`, { headers: cookie });
    expect(single.status).toBe(404);

    const stranger = await buildBasicAuth(server.services, await buildAccount(server.services));
    const before = await countRows(requestComments, eq(requestComments.requestId, Number(request.issueId)));
    const refused = await server.request('POST', path, {
      headers: stranger,
      body: { body: 'let me in', public: true },
    });
    expect(refused.status).toBe(404);
    expect(await countRows(requestComments, eq(requestComments.requestId, Number(request.issueId)))).toBe(
      before,
    );
  });

  it('manages participants and transitions', async () => {
    const t = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const bob = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const request = await raise(t, ada.customer.id);
    const path = sd(t.site.name, `request/${request.issueKey}/participant`);
    const added = await server.request('POST', path, {
      headers: t.agent.auth,
      body: { accountIds: [bob.customer.id] },
    });
    expect(added.status).toBe(200);
    expect((await added.json()).values.map((u: { accountId: string }) => u.accountId)).toEqual([
      bob.customer.id,
    ]);
    const missing = await server.request('POST', path, {
      headers: t.agent.auth,
      body: { accountIds: ['nobody'] },
    });
    expect(missing.status).toBe(400);
    const removed = await server.request('DELETE', path, {
      headers: t.agent.auth,
      body: { accountIds: [bob.customer.id] },
    });
    expect((await removed.json()).values).toEqual([]);

    const transitions = await (
      await server.request('GET', sd(t.site.name, `request/${request.issueKey}/transition`), {
        headers: t.agent.auth,
      })
    ).json();
    expect(transitions.values.map((x: { id: string }) => x.id)).toEqual(['11', '21', '31']);
    const bad = await server.request('POST', sd(t.site.name, `request/${request.issueKey}/transition`), {
      headers: t.agent.auth,
      body: { id: '41' },
    });
    expect(bad.status).toBe(400);
    const ok = await server.request('POST', sd(t.site.name, `request/${request.issueKey}/transition`), {
      headers: t.agent.auth,
      body: { id: '11', additionalComment: { body: 'Starting' } },
    });
    expect(ok.status).toBe(204);
    const status = await (
      await server.request('GET', sd(t.site.name, `request/${request.issueKey}/status`), {
        headers: t.agent.auth,
      })
    ).json();
    expect(status.values[0]).toMatchObject({ status: 'In progress', statusCategory: 'INDETERMINATE' });
  });
});
