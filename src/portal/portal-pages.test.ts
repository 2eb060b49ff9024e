import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildBasicAuth, buildSite } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildDeskTenant } from '#src/test/factories/servicedesk.ts';
import { buildBrowserSession, FORM_HEADERS, formBody } from '#src/test/factories/web.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

describe('customer portal and agent queue pages', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('a customer raises a request; the agent replies and adds a note; the customer sees the reply only', async () => {
    const t = await buildDeskTenant(server.services, { access: 'open' });
    const { customer } = await buildDeskCustomer(server.services, t.site, t.desk.id, {
      displayName: 'Cora Customer',
    });
    const cust = await buildBrowserSession(server.services, { customerId: customer.id, siteId: t.site.id });
    const portal = `/sites/${t.site.name}/portal`;

    const home = await (await server.request('GET', portal, { headers: cust.read })).text();
    expect(home).toContain(t.desk.portalName);
    const desk = await (
      await server.request('GET', `${portal}/desks/${t.desk.id}`, { headers: cust.read })
    ).text();
    expect(desk).toContain('Get IT help');
    expect(desk).not.toContain('Internal only');

    const create = `${portal}/desks/${t.desk.id}/create/${t.requestType.id}`;
    const blank = await server.request('POST', create, {
      headers: cust.write,
      body: formBody({ _csrf: cust.csrfToken, summary: '  ', description: 'kept text' }),
    });
    expect(blank.status).toBe(400);
    const blankHtml = await blank.text();
    expect(blankHtml).toContain('Enter a summary.');
    expect(blankHtml).toContain('kept text');

    const created = await server.request('POST', create, {
      headers: cust.write,
      body: formBody({
        _csrf: cust.csrfToken,
        summary: 'Printer is on fire',
        description: 'Smoke everywhere',
      }),
    });
    expect(created.status).toBe(303);
    const requestUrl = created.headers.get('location')!.replace(/\?.*$/, '');
    const key = requestUrl.split('/').pop()!;

    const queue = await (
      await server.request('GET', `/sites/${t.site.name}/agent`, { headers: t.agent.auth })
    ).text();
    expect(queue).toContain(key);
    expect(queue).toContain('Cora Customer (portal-only customer)');
    const agentUrl = `/sites/${t.site.name}/agent/requests/${key}`;
    for (const [visibility, body] of [
      ['public', 'We are sending a technician.'],
      ['internal', 'Secret: it is the third fire this week.'],
    ]) {
      const res = await server.request('POST', `${agentUrl}/comment`, {
        headers: { ...t.agent.auth, ...FORM_HEADERS },
        body: formBody({ visibility: visibility!, body: body! }),
      });
      expect(res.status).toBe(303);
    }
    const agentView = await (await server.request('GET', agentUrl, { headers: t.agent.auth })).text();
    expect(agentView).toContain('We are sending a technician.');
    expect(agentView).toContain('Secret: it is the third fire this week.');
    expect(agentView).toContain('Internal note');

    const customerView = await (await server.request('GET', requestUrl, { headers: cust.read })).text();
    expect(customerView).toContain('Printer is on fire');
    expect(customerView).toContain('We are sending a technician.');
    expect(customerView).not.toContain('third fire');

    const mine = await (
      await server.request('GET', `${portal}/requests?ownership=mine&status=open`, { headers: cust.read })
    ).text();
    expect(mine).toContain(key);
    const closed = await (
      await server.request('GET', `${portal}/requests?status=closed`, { headers: cust.read })
    ).text();
    expect(closed).not.toContain(key);
  });

  it('the agent assigns and changes status; an empty comment stays on the form', async () => {
    const t = await buildDeskTenant(server.services, { access: 'open' });
    const { customer } = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const cust = await buildBrowserSession(server.services, { customerId: customer.id, siteId: t.site.id });
    const created = await server.request(
      'POST',
      `/sites/${t.site.name}/portal/desks/${t.desk.id}/create/${t.requestType.id}`,
      {
        headers: cust.write,
        body: formBody({ _csrf: cust.csrfToken, summary: 'Need a laptop', description: '' }),
      },
    );
    const key = created.headers.get('location')!.replace(/\?.*$/, '').split('/').pop()!;
    const agentUrl = `/sites/${t.site.name}/agent/requests/${key}`;
    const assign = await server.request('POST', `${agentUrl}/assign`, {
      headers: { ...t.agent.auth, ...FORM_HEADERS },
      body: formBody({ assignee: t.agent.account.id }),
    });
    expect(assign.status).toBe(303);
    const move = await server.request('POST', `${agentUrl}/transition`, {
      headers: { ...t.agent.auth, ...FORM_HEADERS },
      body: formBody({ transitionId: '11' }),
    });
    expect(move.status).toBe(303);
    const view = await (await server.request('GET', agentUrl, { headers: t.agent.auth })).text();
    expect(view).toMatch(/data-testid="assignee">[^<]*\S/);
    expect(view).toContain('Unassign');
    expect(view).toContain('In progress');
    const empty = await server.request('POST', `${agentUrl}/comment`, {
      headers: { ...t.agent.auth, ...FORM_HEADERS },
      body: formBody({ visibility: 'public', body: '' }),
    });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Write a comment first.');
    const badTransition = await server.request('POST', `${agentUrl}/transition`, {
      headers: { ...t.agent.auth, ...FORM_HEADERS },
      body: formBody({ transitionId: '999' }),
    });
    expect(badTransition.status).toBeLessThan(500);
  });

  it('sends anonymous visitors to log in; other sites’ customers and non-agents get nothing', async () => {
    const t = await buildDeskTenant(server.services, { access: 'open' });
    const anon = await server.request('GET', `/sites/${t.site.name}/portal/requests`);
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toContain(`/sites/${t.site.name}/portal/login?next=`);
    const agentAnon = await server.request('GET', `/sites/${t.site.name}/agent`);
    expect(agentAnon.status).toBe(302);

    const other = await buildSite(server.services, t.org.id);
    const { customer } = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const cust = await buildBrowserSession(server.services, { customerId: customer.id, siteId: t.site.id });
    const elsewhere = await server.request('GET', `/sites/${other.site.name}/portal`, { headers: cust.read });
    expect(elsewhere.status).toBe(302);

    const member = await buildAccount(server.services, { orgId: t.org.id });
    const memberAuth = await buildBasicAuth(server.services, member);
    const forbidden = await server.request('GET', `/sites/${t.site.name}/agent`, { headers: memberAuth });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toContain('text/html');

    const missing = await server.request('GET', '/sites/no-such-site/portal');
    expect(missing.status).toBe(404);
  });

  it('shows the portal login form and keeps the email on a failed login', async () => {
    const t = await buildDeskTenant(server.services, { access: 'open' });
    const page = await server.request('GET', `/sites/${t.site.name}/portal/login`);
    expect(page.status).toBe(200);
    const failed = await server.request('POST', `/sites/${t.site.name}/portal/login`, {
      headers: FORM_HEADERS,
      body: formBody({ email: 'nobody@example.test', password: 'wrong password here' }),
    });
    expect(failed.status).toBe(401);
    expect(await failed.text()).toContain('value="nobody@example.test"');
  });

  it('sign-up, forgot password and mail links answer with forms or clear messages, never error pages', async () => {
    const t = await buildDeskTenant(server.services, { access: 'open' });
    const portal = `/sites/${t.site.name}/portal`;
    const weak = await server.request('POST', `${portal}/signup`, {
      headers: FORM_HEADERS,
      body: formBody({ email: 'new@customers.test', displayName: 'New Person', password: 'password' }),
    });
    expect(weak.status).toBe(400);
    const weakHtml = await weak.text();
    expect(weakHtml).toContain('class="field-error"');
    expect(weakHtml).toContain('value="new@customers.test"');
    const signedUp = await server.request('POST', `${portal}/signup`, {
      headers: FORM_HEADERS,
      body: formBody({
        email: 'new@customers.test',
        displayName: 'New Person',
        password: 'Tr0ubadour-and-three-horses',
      }),
    });
    expect(signedUp.status).toBe(200);
    expect(await signedUp.text()).toContain('Check your email');
    const forgot = await server.request('POST', `${portal}/forgot-password`, {
      headers: FORM_HEADERS,
      body: formBody({ email: 'unknown@customers.test' }),
    });
    expect(forgot.status).toBe(200);
    expect(await forgot.text()).toContain('If unknown@customers.test has an account here');
    for (const [method, path, body] of [
      ['GET', `${portal}/verify-email?token=nope`, undefined],
      [
        'POST',
        `${portal}/reset-password`,
        formBody({ token: 'nope', password: 'Tr0ubadour-and-three-horses' }),
      ],
      ['GET', '/verify-email?token=nope', undefined],
      ['POST', '/reset-password', formBody({ token: 'nope', password: 'Tr0ubadour-and-three-horses' })],
      ['POST', '/account/set-password', formBody({ token: '', password: '' })],
    ] as const) {
      const res = await server.request(method, path, { headers: FORM_HEADERS, body });
      expect(res.status, path).toBe(400);
      expect(await res.text(), path).toContain('role="alert"');
    }
  });

  it('searches the knowledge base and survives odd input', async () => {
    const t = await buildDeskTenant(server.services, { access: 'open' });
    const { customer } = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const cust = await buildBrowserSession(server.services, { customerId: customer.id, siteId: t.site.id });
    const portal = `/sites/${t.site.name}/portal`;
    const kb = await server.request('GET', `${portal}/kb?q=printer`, { headers: cust.read });
    expect(kb.status).toBe(200);
    expect(await kb.text()).toContain('No articles match');
    for (const path of [
      `${portal}/requests?ownership=x&status=y&start=-9&q=%25%27`,
      `${portal}/requests/NOPE-1`,
      `${portal}/desks/999999`,
      `${portal}/desks/abc/create/xyz`,
      `${portal}/kb?q=%00`,
    ]) {
      const res = await server.request('GET', path, { headers: cust.read });
      expect(res.status, path).toBeLessThan(500);
    }
    const bad = await server.request('POST', `${portal}/desks/${t.desk.id}/create/${t.restrictedType.id}`, {
      headers: cust.write,
      body: formBody({ _csrf: cust.csrfToken, summary: 'Sneaky', description: '' }),
    });
    expect(bad.status).toBeLessThan(500);
    expect(bad.status).not.toBe(303);
    const agentOdd = await server.request('GET', `/sites/${t.site.name}/agent?status=zzz&desk=-1&start=abc`, {
      headers: t.agent.auth,
    });
    expect(agentOdd.status).toBe(200);
  });

  it('an account holder edits their name on the profile page; a blank name is a field error', async () => {
    const t = await buildDeskTenant(server.services, { access: 'open' });
    const member = await buildAccount(server.services, { orgId: t.org.id, name: 'Old Name' });
    const session = await buildBrowserSession(server.services, { accountId: member.id });
    const url = `/sites/${t.site.name}/portal/profile`;
    const blank = await server.request('POST', url, {
      headers: session.write,
      body: formBody({ _csrf: session.csrfToken, name: ' ' }),
    });
    expect(blank.status).toBe(400);
    expect(await blank.text()).toContain('Enter a name');
    const saved = await server.request('POST', url, {
      headers: session.write,
      body: formBody({ _csrf: session.csrfToken, name: 'New Name' }),
    });
    expect(saved.status).toBe(303);
    const page = await (await server.request('GET', url, { headers: session.read })).text();
    expect(page).toContain('New Name');
    const noCsrf = await server.request('POST', url, {
      headers: session.write,
      body: formBody({ name: 'Hacker' }),
    });
    expect(noCsrf.status).toBe(403);
  });
});
