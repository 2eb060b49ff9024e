import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestComments, type requestParticipants, requests } from '#src/db/schema/index.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { createKbArticle } from '#src/domain/servicedesk/knowledge-base.ts';
import { buildAccount, buildBasicAuth, buildCustomer } from '#src/test/factories/directory.ts';
import {
  buildDeskCustomer,
  buildDeskTenant,
  buildServiceDesk,
  customerCookie,
} from '#src/test/factories/servicedesk.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const sd = (site: string, path: string) => `/sites/${site}/rest/servicedeskapi/${path}`;
const OPT_IN = { 'x-experimentalapi': 'opt-in' };

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

describe('JSM service desks', () => {
  it('answers 401 without credentials and 404 for an unknown site', async () => {
    const t = await buildDeskTenant(server.services);
    const anonymous = await server.request('GET', sd(t.site.name, 'servicedesk'));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ i18nErrorMessage: { i18nKey: 'auth.unauthenticated' } });
    const unknown = await server.request('GET', sd('no-such-site', 'servicedesk'), { headers: t.agent.auth });
    expect(unknown.status).toBe(404);
  });

  it('lists and gets desks for an agent (by id and key) in JSM page shape; another tenant gets 404', async () => {
    const t = await buildDeskTenant(server.services);
    const list = await server.request('GET', `${sd(t.site.name, 'servicedesk')}?limit=1`, {
      headers: t.agent.auth,
    });
    expect(list.status).toBe(200);
    const page = await list.json();
    expect(page).toMatchObject({ start: 0, limit: 1, size: 1, isLastPage: true });
    expect(page.values[0]).toMatchObject({
      id: String(t.desk.id),
      projectKey: t.desk.projectKey,
      projectTypeKey: 'service_desk',
    });
    expect(page._links.self).toMatch(/^http/);
    const byKey = await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.projectKey}`), {
      headers: t.agent.auth,
    });
    expect((await byKey.json()).id).toBe(String(t.desk.id));
    const other = await buildDeskTenant(server.services);
    const cross = await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}`), {
      headers: bearer(other.apiKey),
    });
    expect(cross.status).toBe(404);
  });

  it('shows a customer open desks and the desks they belong to only', async () => {
    const t = await buildDeskTenant(server.services);
    const open = await buildServiceDesk(server.services, t.site, { access: 'open' });
    const stranger = await buildAccount(server.services);
    const list = await (
      await server.request('GET', sd(t.site.name, 'servicedesk'), {
        headers: await buildBasicAuth(server.services, stranger),
      })
    ).json();
    expect(list.values.map((d: { id: string }) => d.id)).toEqual([String(open.desk.id)]);
    const hidden = await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}`), {
      headers: await buildBasicAuth(server.services, stranger),
    });
    expect(hidden.status).toBe(404);
  });
});

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

describe('JSM knowledge base', () => {
  it('needs a query, finds articles by words, and never returns unsafe HTML', async () => {
    const t = await buildDeskTenant(server.services);
    await server.services.db.transaction(async (tx) => {
      await createKbArticle(
        { services: server.services, actor: SYSTEM, tenant: { site: t.site } },
        {
          title: 'Reset your VPN password',
          body: '# VPN\nOpen **settings** <script>alert(1)</script>',
          format: 'markdown',
          serviceDeskId: t.desk.id,
        },
        tx,
      );
      await createKbArticle(
        { services: server.services, actor: SYSTEM, tenant: { site: t.site } },
        {
          title: 'Printer setup',
          body: '<p onclick="x()">Plug it in</p>',
          format: 'html',
        },
        tx,
      );
    });
    const none = await server.request('GET', sd(t.site.name, 'knowledgebase/article'), {
      headers: t.agent.auth,
    });
    expect(none.status).toBe(400);
    const found = await (
      await server.request('GET', `${sd(t.site.name, 'knowledgebase/article')}?query=vpn&highlight=true`, {
        headers: t.agent.auth,
      })
    ).json();
    expect(found.values).toHaveLength(1);
    expect(found.values[0].title).toBe('Reset your @@@hl@@@VPN@@@endhl@@@ password');
    expect(JSON.stringify(found)).not.toContain('<script');
    const desk = await (
      await server.request(
        'GET',
        `${sd(t.site.name, `servicedesk/${t.desk.id}/knowledgebase/article`)}?query=plug`,
        { headers: t.agent.auth },
      )
    ).json();
    expect(desk.values.map((a: { title: string }) => a.title)).toEqual(['Printer setup']);
    expect(desk.values[0].excerpt).toBe('Plug it in');
    const view = await server.request('GET', new URL(found.values[0].content.iframeSrc).pathname, {
      headers: t.agent.auth,
    });
    expect(view.status).toBe(200);
    const html = await view.text();
    expect(html).toContain('<strong>settings</strong>');
    expect(html).not.toContain('<script');
    const missing = await server.request('GET', sd(t.site.name, 'knowledgebase/article/view/999999'), {
      headers: t.agent.auth,
    });
    expect(missing.status).toBe(404);
  });
});

describe('JSM knowledge base paging', () => {
  it('pages with cursor and prev like Atlassian’s, start still working', async () => {
    const t = await buildDeskTenant(server.services);
    await server.services.db.transaction(async (tx) => {
      for (const n of [1, 2, 3, 4, 5])
        await createKbArticle(
          { services: server.services, actor: SYSTEM, tenant: { site: t.site } },
          { title: `Guide ${n}`, body: 'guide', format: 'markdown' },
          tx,
        );
    });
    const get = async (url: string) => {
      const response = await server.request('GET', url.replace('http://gatehouse.test', ''), {
        headers: t.agent.auth,
      });
      expect(response.status, url).toBe(200);
      return (await response.json()) as {
        start: number;
        isLastPage: boolean;
        values: Array<{ title: string }>;
        _links: { self: string; next?: string; prev?: string };
      };
    };
    const titles = (page: { values: Array<{ title: string }> }) => page.values.map((a) => a.title);
    const first = await get(`${sd(t.site.name, 'knowledgebase/article')}?query=guide&limit=2`);
    expect(first._links.prev).toBeUndefined();
    expect(first._links.next).toMatch(/[?&]cursor=/);
    expect(first._links.next).not.toMatch(/[?&]start=/);
    const second = await get(first._links.next!);
    const third = await get(second._links.next!);
    expect(third.isLastPage).toBe(true);
    expect(third._links.next).toBeUndefined();
    const all = [...titles(first), ...titles(second), ...titles(third)];
    expect(all).toHaveLength(5);
    expect(new Set(all).size).toBe(5);
    expect(third._links.prev).toMatch(/[?&]prev=true/);
    expect(titles(await get(third._links.prev!))).toEqual(titles(second));
    expect(titles(await get(second._links.self))).toEqual(titles(second));
    // The deprecated start still pages the same way.
    expect(
      titles(await get(`${sd(t.site.name, 'knowledgebase/article')}?query=guide&limit=2&start=2`)),
    ).toEqual(titles(second));
    const bad = await server.request(
      'GET',
      `${sd(t.site.name, 'knowledgebase/article')}?query=guide&cursor=nope`,
      {
        headers: t.agent.auth,
      },
    );
    expect(bad.status).toBe(400);
  });
});

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
