import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAllMail } from '#src/db/queries/mail/mail-outbox-list.queries.ts';
import { buildCustomerWithHistory, buildMigrationTenant } from '#src/test/factories/migration.ts';
import { nextMailTo } from '#src/test/helpers/outbox.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: true });
});
afterAll(() => server.close());

const json = (body: unknown, headers: Record<string, string> = {}) => ({ body, headers });
const password = 'a long passphrase for tests';

describe('GET / (the landing page) and GET /mail (the mail viewer of local mode)', () => {
  it('links the console, the API docs, the mail viewer and every site’s portal and agent queue', async () => {
    const t = await buildMigrationTenant(server.services);
    const response = await server.request('GET', '/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    for (const href of [
      '/admin',
      '/docs',
      '/mail',
      `/sites/${t.site.name}/portal`,
      `/sites/${t.site.name}/agent`,
    ])
      expect(html).toContain(`href="${href}"`);
  });

  it('shows system mail (sign-up verification, org null) that no org outbox lists', async () => {
    const email = `newcomer-${Date.now()}@example.com`;
    const signup = await server.request(
      'POST',
      '/rest/auth/1/signup',
      json({ email, name: 'New Comer', password }),
    );
    expect(signup.status).toBe(202);
    await nextMailTo(server.services, email, 'verify_email');
    const response = await server.request('GET', `/mail?to=${encodeURIComponent(email.toUpperCase())}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`data-to="${email}"`);
    expect(html).toMatch(/href="http:\/\/gatehouse\.test\/verify-email\?token=[^"]+"/);
  }, 120_000);

  it('outside local mode (SMTP, or a host other than loopback) there is no viewer and no list of sites', async () => {
    const setups: Array<Record<string, string>> = [
      { MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://127.0.0.1:2525' },
      { HOST: '0.0.0.0' },
    ];
    for (const env of setups) {
      const other = await createTestServer({ workers: false, env });
      try {
        const t = await buildMigrationTenant(other.services);
        expect((await other.request('GET', '/mail')).status).toBe(404);
        const html = await (await other.request('GET', '/')).text();
        expect(html).not.toContain('href="/mail"');
        expect(html).not.toContain(t.site.name);
        expect(html).toContain('href="/admin"');
      } finally {
        await other.close();
      }
    }
  }, 120_000);
});

describe('every link in every mail resolves', () => {
  it('sends each kind of mail, then opens each link it holds: none is a 404 or an error', async () => {
    const s = server;
    const t = await buildMigrationTenant(s.services);
    const stamp = Date.now();
    const account = `account-${stamp}@example.com`;
    const portal = `portal-${stamp}@customers.example`;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      s.request('POST', path, { body, headers });
    // Account: verification, "already has an account", reset.
    // Sign-ups and reset requests make their mail in jobs: each waits for the previous one's mail (a reset
    // requested before the account exists would rightly mail nothing).
    expect((await post('/rest/auth/1/signup', { email: account, name: 'Acc', password })).status).toBe(202);
    await nextMailTo(s.services, account, 'verify_email');
    expect((await post('/rest/auth/1/signup', { email: account, name: 'Acc', password })).status).toBe(202);
    await nextMailTo(s.services, account, 'signup_existing');
    expect((await post('/rest/auth/1/password-reset/request', { email: account })).status).toBe(202);
    await nextMailTo(s.services, account, 'reset_password');
    // Invitation by an org admin.
    const invite = await post(
      `/admin/v2/orgs/${t.org.id}/users/invite`,
      { emails: [`invitee-${stamp}@example.com`] },
      bearer(t.apiKey),
    );
    expect(invite.status, await invite.clone().text()).toBeLessThan(300);
    // Portal-only customer: sign-up verification, "already signed up", reset.
    const auth = `/sites/${t.site.name}/rest/portal-auth/1`;
    const customer = { email: portal, displayName: 'Portal Person', password };
    expect((await post(`${auth}/signup`, customer)).status).toBe(202);
    await nextMailTo(s.services, portal, 'verify_email');
    expect((await post(`${auth}/signup`, customer)).status).toBe(202);
    await nextMailTo(s.services, portal, 'signup_existing');
    expect((await post(`${auth}/reset-request`, { email: portal })).status).toBe(202);
    await nextMailTo(s.services, portal, 'reset_password');
    // A customer created by an admin (JSM API) gets a set-password link.
    const created = await post(
      `/sites/${t.site.name}/rest/servicedeskapi/customer`,
      { email: `made-${stamp}@customers.example`, displayName: 'Made By Admin' },
      bearer(t.apiKey),
    );
    expect(created.status, await created.clone().text()).toBeLessThan(300);
    // A migration that creates an account mails its set-password link.
    const { customer: migrated } = await buildCustomerWithHistory(s.services, t, { requests: 1 });
    const base = `/admin/v1/orgs/${t.org.id}/sites/${t.site.id}`;
    const task = await post(`${base}/migrations`, { customerIds: [migrated.id] }, bearer(t.apiKey));
    expect(task.status).toBe(202);
    const { taskId } = await task.json();
    for (let i = 0; i < 600; i++) {
      const view = await (
        await s.request('GET', `${base}/migrations/${taskId}`, { headers: bearer(t.apiKey) })
      ).json();
      if (!['queued', 'running'].includes(view.task.status)) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const mail = await listAllMail(s.services.db, { limit: 200 });
    const kinds = new Set(mail.map((m) => m.kind));
    expect(kinds.size, [...kinds].join(', ')).toBeGreaterThanOrEqual(5);
    const links = mail.flatMap((m) => m.text.match(/https?:\/\/\S+/g) ?? []);
    expect(links.length).toBeGreaterThanOrEqual(9);
    const paths = new Set(links.map((l) => new URL(l).pathname));
    for (const path of [
      '/verify-email',
      '/forgot-password',
      '/reset-password',
      '/invitations/accept',
      '/account/set-password',
    ])
      expect(paths, path).toContain(path);
    for (const link of links) {
      const url = new URL(link);
      expect(url.origin).toBe(s.services.config.BASE_URL);
      const response = await s.request('GET', `${url.pathname}${url.search}`);
      expect(response.status, `${link} (${mail.find((m) => m.text.includes(link))?.kind})`).toBeLessThan(400);
    }
  }, 180_000);
});
