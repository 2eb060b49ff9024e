import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAccount,
  buildBasicAuth,
  buildCustomer,
  buildOrg,
  buildSite,
  buildTenant,
  TEST_PASSWORD,
} from '#src/test/factories/directory.ts';
import { buildTenantWithAdminAuth, FORM_HEADERS, formBody, grantOrgAdmin } from '#src/test/factories/web.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

async function waitForTask(
  server: TestServer,
  url: string,
  headers: Record<string, string>,
): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const html = await (await server.request('GET', url, { headers })).text();
    if (/data-status="(succeeded|failed|cancelled)"/.test(html)) return html;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('task did not finish');
}

describe('admin console pages', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('sends anonymous browsers to the login page and back', async () => {
    const res = await server.request('GET', '/admin/o/whatever');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fo%2Fwhatever');
    const login = await server.request('GET', '/admin/login');
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<label for="field-email">Email</label>');
  });

  it('logs in with a form: a wrong password stays on the form, the right one sets the session cookie', async () => {
    const t = await buildTenant(server.services, 'centralized');
    const wrong = await server.request('POST', '/admin/login', {
      headers: FORM_HEADERS,
      body: formBody({ email: t.admin.email, password: 'not the password', next: '/admin' }),
    });
    expect(wrong.status).toBe(401);
    const html = await wrong.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain(`value="${t.admin.email}"`);
    const right = await server.request('POST', '/admin/login', {
      headers: FORM_HEADERS,
      body: formBody({ email: t.admin.email, password: TEST_PASSWORD, next: '//evil.example/' }),
    });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/admin');
    const cookie = right.headers.get('set-cookie')!.split(';')[0]!;
    const home = await server.request('GET', '/admin', { headers: { cookie } });
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe(`/admin/o/${t.org.id}`);
    // A cookie-authenticated write without the CSRF token is refused.
    const noCsrf = await server.request('POST', '/admin/logout', {
      headers: { cookie, ...FORM_HEADERS },
      body: '',
    });
    expect(noCsrf.status).toBe(403);
  });

  it('centralized: Directory and Products → site → Jira Service Management → Portal customers', async () => {
    const { auth, ...t } = await buildTenantWithAdminAuth(server.services, 'centralized');
    const overview = await (await server.request('GET', `/admin/o/${t.org.id}`, { headers: auth })).text();
    expect(overview).toContain('>Directory</a>');
    expect(overview).toContain('>Products</a>');
    // The org switcher lists every org the admin administers.
    const second = await buildOrg(server.services, 'original');
    await grantOrgAdmin(server.services, second.id, t.admin.id);
    const chooser = await (await server.request('GET', '/admin?choose', { headers: auth })).text();
    expect(chooser).toContain(t.org.name);
    expect(chooser).toContain(second.name);
    const many = await server.request('GET', '/admin', { headers: auth });
    expect(many.status).toBe(200);
    const site = await (
      await server.request('GET', `/admin/o/${t.org.id}/sites/${t.site.name}`, { headers: auth })
    ).text();
    expect(site).toContain('Jira Service Management');
    expect(site).toContain('>Portal-only customers</a>');
  });

  it('lists, searches and filters portal-only customers; revoke asks first and then applies', async () => {
    const { auth, ...t } = await buildTenantWithAdminAuth(server.services, 'centralized');
    const { customer: alice } = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: 'alice@customers.test',
      displayName: 'Alice Archer',
    });
    await buildCustomer(server.services, { orgId: t.org.id, siteId: t.site.id, displayName: 'Bob Baker' });
    const list = `/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers`;
    const all = await (await server.request('GET', list, { headers: auth })).text();
    expect(all).toContain('Alice Archer');
    expect(all).toContain('Bob Baker');
    const searched = await (await server.request('GET', `${list}?q=ALICE@`, { headers: auth })).text();
    expect(searched).toContain('Alice Archer');
    expect(searched).not.toContain('Bob Baker');
    const byName = await (await server.request('GET', `${list}?q=baker`, { headers: auth })).text();
    expect(byName).toContain('Bob Baker');
    expect(byName).not.toContain('Alice Archer');
    expect(all).toContain('2 customers');
    // Sorted by name unless told otherwise; an unknown sort key or page falls back instead of failing.
    expect(all.indexOf('Alice Archer')).toBeLessThan(all.indexOf('Bob Baker'));
    const down = await (await server.request('GET', `${list}?sort=name&dir=desc`, { headers: auth })).text();
    expect(down.indexOf('Bob Baker')).toBeLessThan(down.indexOf('Alice Archer'));
    expect(down).toContain('aria-sort="descending"');
    const odd = await server.request('GET', `${list}?sort=password_hash&dir=x&page=-3`, { headers: auth });
    expect(odd.status).toBe(200);
    const past = await (await server.request('GET', `${list}?page=99`, { headers: auth })).text();
    expect(past).toContain('No customers match.');

    const revokeUrl = `${list}/${encodeURIComponent(alice.id)}/revoke`;
    const confirm = await (await server.request('GET', revokeUrl, { headers: auth })).text();
    expect(confirm).toContain('can no longer log in to the portal');
    const done = await server.request('POST', revokeUrl, { headers: { ...auth, ...FORM_HEADERS }, body: '' });
    expect(done.status).toBe(303);
    const revoked = await (await server.request('GET', `${list}?status=revoked`, { headers: auth })).text();
    expect(revoked).toContain('Alice Archer (Deactivated)');
    expect(revoked).not.toContain('Bob Baker');
    expect(revoked).toContain('Grant access');
  });

  it('shows a too-short password as a field error on the form, not an error page', async () => {
    const { auth, ...t } = await buildTenantWithAdminAuth(server.services, 'centralized');
    const { customer } = await buildCustomer(server.services, { orgId: t.org.id, siteId: t.site.id });
    const url = `/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers/${encodeURIComponent(customer.id)}/password`;
    const res = await server.request('POST', url, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ password: 'short' }),
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('class="field-error"');
    expect(html).toContain('Use at least 12 characters.');
    expect(html).toContain('aria-invalid="true"');
  });

  it('migrates one customer after a confirmation that lists what happens, with progress and a report', async () => {
    const { auth, ...t } = await buildTenantWithAdminAuth(server.services, 'centralized');
    const { customer } = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      displayName: 'Mia Migrant',
    });
    const list = `/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers`;
    const url = `${list}/${encodeURIComponent(customer.id)}/migrate`;
    const confirm = await (await server.request('GET', url, { headers: auth })).text();
    expect(confirm).toContain('deactivate their portal-only profile');
    expect(confirm).toContain('assign a new user key');
    expect(confirm).toContain(`jira-servicemanagement-customers-${t.site.name}`);
    expect(confirm).toContain('can’t be undone');
    const started = await server.request('POST', url, { headers: { ...auth, ...FORM_HEADERS }, body: '' });
    expect(started.status).toBe(303);
    const taskUrl = started.headers.get('location')!;
    const html = await waitForTask(server, taskUrl, auth);
    expect(html).toContain('data-status="succeeded"');
    expect(html).toContain('New account');
    const report = await server.request('GET', `${taskUrl}/report.csv`, { headers: auth });
    expect(report.headers.get('content-type')).toContain('text/csv');
    const csv = await report.text();
    expect(csv.split('\r\n')[0]).toContain('customerId');
    expect(csv).toContain(customer.id);
    expect(csv).toContain(',succeeded,');
    const after = await (await server.request('GET', `${list}?status=migrated`, { headers: auth })).text();
    expect(after).toContain('Mia Migrant');
    expect(after).toContain('Inactive');
    // A second POST (an old tab) starts nothing: it says the customer is migrated and links the account.
    const again = await server.request('POST', url, { headers: { ...auth, ...FORM_HEADERS }, body: '' });
    expect(again.status).toBe(409);
    const againHtml = await again.text();
    expect(againHtml).toContain('already migrated');
    expect(againHtml).toContain('Open the account');
  });

  it('bulk: preview shows new accounts vs links, then starts one task for the selection', async () => {
    const { auth, ...t } = await buildTenantWithAdminAuth(server.services, 'centralized');
    const twin = await buildAccount(server.services, { email: 'twin@customers.test' });
    const { customer: a } = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: twin.email,
    });
    const { customer: b } = await buildCustomer(server.services, { orgId: t.org.id, siteId: t.site.id });
    const list = `/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers`;
    const dupes = await (await server.request('GET', `${list}/duplicates`, { headers: auth })).text();
    expect(dupes).toContain(a.displayName);
    expect(dupes).not.toContain(b.displayName);
    // Counted, sorted by name to begin with; email order on request.
    expect(dupes).toContain('1 customer with an account');
    expect(dupes).toMatch(
      /<th scope="col" aria-sort="ascending"><a class="sort" href="[^"]*sort=name&amp;dir=desc">Customer/,
    );
    const byEmail = await (
      await server.request('GET', `${list}/duplicates?sort=email&dir=desc`, { headers: auth })
    ).text();
    expect(byEmail).toMatch(
      /<th scope="col" aria-sort="descending"><a class="sort" href="[^"]*sort=email&amp;dir=asc">Email/,
    );
    const preview = await server.request('POST', `${list}/migrate/preview`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ customerId: [a.id, b.id] }),
    });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toMatch(/data-testid="plan-link">1</);
    expect(html).toMatch(/data-testid="plan-create">1</);
    expect(html).toContain('Nothing has changed yet');
    const empty = await server.request('POST', `${list}/migrate/preview`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: '',
    });
    // An empty selection goes back to the list, which says what to do (not an error page).
    expect(empty.status).toBe(303);
    expect(empty.headers.get('location')).toBe(`${list}?warn=nothing-selected`);
    const started = await server.request('POST', `${list}/migrate/start`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ customerId: [a.id, b.id] }),
    });
    expect(started.status).toBe(303);
    const done = await waitForTask(server, started.headers.get('location')!, auth);
    // The counts are separate elements (the page updates them live); as text they read as a sentence.
    expect(done.replace(/<[^>]+>/g, '')).toContain('2 of 2 done');
    expect(done).toContain('Linked');
  });

  it('original: a site admin sees only their site and gets no page on another site', async () => {
    const t = await buildTenant(server.services, 'original');
    const other = await buildSite(server.services, t.org.id);
    const siteAdmin = await buildAccount(server.services, { orgId: t.org.id, siteAdminOf: [t.site.id] });
    const auth = await buildBasicAuth(server.services, siteAdmin);
    await buildCustomer(server.services, { orgId: t.org.id, siteId: t.site.id, displayName: 'Own Customer' });
    await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: other.site.id,
      displayName: 'Other Customer',
    });
    const products = await (
      await server.request('GET', `/admin/o/${t.org.id}/products`, { headers: auth })
    ).text();
    expect(products).toContain(t.site.name);
    expect(products).not.toContain(other.site.name);
    expect(products).not.toContain('>Directory</a>');
    const own = await (
      await server.request('GET', `/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers`, {
        headers: auth,
      })
    ).text();
    expect(own).toContain('Own Customer');
    expect(own).toContain('Migrate to a Gatehouse account');
    const foreign = await server.request(
      'GET',
      `/admin/o/${t.org.id}/sites/${other.site.name}/jsm/customers`,
      {
        headers: auth,
      },
    );
    expect(foreign.status).toBe(403);
    const html = await foreign.text();
    expect(html).not.toContain('Migrate to a Gatehouse account');
    expect(html).not.toContain('Other Customer');
  });

  it("answers 404 for another tenant's org and site", async () => {
    const mine = await buildTenant(server.services, 'centralized');
    const theirs = await buildTenant(server.services, 'centralized');
    const auth = await buildBasicAuth(server.services, mine.admin);
    const org = await server.request('GET', `/admin/o/${theirs.org.id}`, { headers: auth });
    expect(org.status).toBe(404);
    const site = await server.request(
      'GET',
      `/admin/o/${mine.org.id}/sites/${theirs.site.name}/jsm/customers`,
      {
        headers: auth,
      },
    );
    expect(site.status).toBe(404);
    expect(site.headers.get('content-type')).toContain('text/html');
  });
});

describe('migration task page without workers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer({ workers: false });
  });
  afterAll(async () => {
    await server.close();
  });

  it('a queued task can be cancelled from its page; the customer stays active', async () => {
    const { auth, ...t } = await buildTenantWithAdminAuth(server.services, 'centralized');
    const { customer } = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      displayName: 'Stay Put',
    });
    const list = `/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers`;
    const started = await server.request('POST', `${list}/${encodeURIComponent(customer.id)}/migrate`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: '',
    });
    const taskUrl = started.headers.get('location')!;
    const live = await (await server.request('GET', taskUrl, { headers: auth })).text();
    expect(live).toContain('data-status="queued"');
    expect(live).toContain(`data-progress-url="${taskUrl}/progress.json"`);
    expect(live).toContain('Cancel the customers not started yet');
    // The live counts the page polls: small JSON, no caching; another org's admin gets 404.
    const progress = await server.request('GET', `${taskUrl}/progress.json`, { headers: auth });
    expect(progress.status).toBe(200);
    expect(progress.headers.get('cache-control')).toBe('no-store');
    expect(await progress.json()).toEqual({
      status: 'queued',
      label: 'Waiting to start',
      live: true,
      total: 1,
      done: 0,
      succeeded: 0,
      failed: 0,
      skipped: 0,
      cancelled: 0,
    });
    const other = await buildTenantWithAdminAuth(server.services, 'centralized');
    const foreign = await server.request('GET', `${taskUrl}/progress.json`, { headers: other.auth });
    expect(foreign.status).toBe(404);
    const missing = await server.request(
      'GET',
      `${list.replace('/customers', '/migrations')}/nope/progress.json`,
      {
        headers: auth,
      },
    );
    expect(missing.status).toBe(404);
    // Cancelling asks first, saying how many customers it stops; nothing changes until confirmed.
    const ask = await server.request('POST', `${taskUrl}/cancel`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: '',
    });
    expect(ask.status).toBe(200);
    const question = await ask.text();
    expect(question).toContain('Are you sure?');
    expect(question).toContain('Cancel 1 customer');
    expect(question).toContain('Keep migrating');
    expect(await (await server.request('GET', taskUrl, { headers: auth })).text()).toContain(
      'data-status="queued"',
    );
    const foreignAsk = await server.request('POST', `${taskUrl}/cancel`, {
      headers: { ...other.auth, ...FORM_HEADERS },
      body: '',
    });
    expect(foreignAsk.status).toBe(404);
    const cancel = await server.request('POST', `${taskUrl}/cancel`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ confirmed: 'yes' }),
    });
    expect(cancel.status).toBe(303);
    const done = await (await server.request('GET', taskUrl, { headers: auth })).text();
    expect(done).toContain('data-status="cancelled"');
    expect(done).not.toContain('data-progress-url');
    // The per-customer table filters by status.
    const cancelledOnly = await (
      await server.request('GET', `${taskUrl}?show=cancelled`, { headers: auth })
    ).text();
    expect(cancelledOnly).toContain('Stay Put');
    expect(cancelledOnly).toContain('1 of 1 customers: cancelled');
    const failedOnly = await (
      await server.request('GET', `${taskUrl}?show=failed`, { headers: auth })
    ).text();
    expect(failedOnly).not.toContain('Stay Put');
    expect(failedOnly).toContain('No customers match.');
    const active = await (await server.request('GET', `${list}?status=active`, { headers: auth })).text();
    expect(active).toContain('Stay Put');
  });
});
