import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCustomerNow } from '#src/domain/migration/migrate-customer.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { buildAccount, buildBasicAuth, buildCustomer, buildTenant } from '#src/test/factories/directory.ts';
import { buildTenantWithAdminAuth, FORM_HEADERS, formBody } from '#src/test/factories/web.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

describe('admin org pages and account mail links', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('the outbox shows the set-password mail of a migration; its link sets the password once', async () => {
    const { auth, ...t } = await buildTenantWithAdminAuth(server.services, 'centralized');
    const { customer } = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: 'newbie@customers.test',
    });
    await migrateCustomerNow(
      { services: server.services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
      {
        customerId: customer.id,
      },
    );
    const outbox = await (
      await server.request('GET', `/admin/o/${t.org.id}/outbox?to=newbie@customers.test`, { headers: auth })
    ).text();
    const link = /href="(http[^"]+\/account\/set-password\?token=[^"]+)"/.exec(outbox)?.[1];
    expect(link).toBeDefined();
    const path =
      new URL(link!.replace(/&amp;/g, '&')).pathname + new URL(link!.replace(/&amp;/g, '&')).search;
    const token = new URL(link!.replace(/&amp;/g, '&')).searchParams.get('token')!;
    const form = await server.request('GET', path);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain(`value="${token}"`);
    const weak = await server.request('POST', '/account/set-password', {
      headers: FORM_HEADERS,
      body: formBody({ token, password: 'password' }),
    });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('class="field-error"');
    const ok = await server.request('POST', '/account/set-password', {
      headers: FORM_HEADERS,
      body: formBody({ token, password: 'Tr0ubadour-and-three-horses' }),
    });
    expect(ok.status).toBe(303);
    // The login form comes back with the account's email filled in (issue 14: the field was empty).
    expect(ok.headers.get('location')).toBe(
      `/sites/${t.site.name}/portal/login?notice=password&email=${encodeURIComponent('newbie@customers.test')}`,
    );
    const again = await server.request('POST', '/account/set-password', {
      headers: FORM_HEADERS,
      body: formBody({ token, password: 'Tr0ubadour-and-three-horses' }),
    });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('role="alert"');
  });

  it('the audit log finds events by who acted and whom they are about: name, email or id', async () => {
    const { auth, ...t } = await buildTenantWithAdminAuth(server.services, 'centralized');
    const account = await buildAccount(server.services, { email: 'olga@search.test', name: 'Olga Account' });
    const { customer } = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: 'olga@search.test',
      displayName: 'Olga Portal',
    });
    await migrateCustomerNow(
      { services: server.services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
      { customerId: customer.id },
    );
    await server.request('POST', `/admin/o/${t.org.id}/api-keys`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ name: 'Deploy key' }),
    });
    const audit = async (query: Record<string, string>) =>
      (
        await server.request('GET', `/admin/o/${t.org.id}/audit?${new URLSearchParams(query)}`, {
          headers: auth,
        })
      ).text();
    // By: part of the admin's email, any case; the migration (by the system) is not theirs.
    const byAdmin = await audit({ actor: t.admin.email.split('@')[0]!.toUpperCase() });
    expect(byAdmin).toContain('api_key.created');
    expect(byAdmin).not.toContain('customer.migrated');
    // About: the customer's name, the account's name or email, and the account id (the user page's link).
    for (const about of ['olga portal', 'Olga Account', 'OLGA@search', account.id]) {
      const found = await audit({ target: about });
      expect(found, about).toContain('customer.migrated');
      expect(found, about).not.toContain('api_key.created');
    }
    expect(await audit({ target: 'nobody-by-that-name' })).toContain('No events match.');
    expect(await audit({ actor: '%' })).toContain('No events match.');
    const form = await audit({});
    expect(form).toContain('By (name, email or id)');
    expect(form).toContain('About (name, email or id)');
  });

  it('audit log filters by action; API keys are created (shown once) and revoked; invitations validate', async () => {
    const { auth, ...t } = await buildTenantWithAdminAuth(server.services, 'centralized');
    const created = await server.request('POST', `/admin/o/${t.org.id}/api-keys`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ name: 'CI key' }),
    });
    expect(created.status).toBe(200);
    const html = await created.text();
    expect(html).toMatch(/data-testid="api-key-secret">[^<]{20,}</);
    const blank = await server.request('POST', `/admin/o/${t.org.id}/api-keys`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ name: '' }),
    });
    expect(blank.status).toBe(400);
    const audit = await (
      await server.request('GET', `/admin/o/${t.org.id}/audit?action=api_key.created`, { headers: auth })
    ).text();
    expect(audit).toContain('api_key.created');
    expect(audit).not.toContain('site.created');
    const badDates = await server.request('GET', `/admin/o/${t.org.id}/audit?from=not-a-date&before=abc`, {
      headers: auth,
    });
    expect(badDates.status).toBe(200);

    const invalid = await server.request('POST', `/admin/o/${t.org.id}/invite`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ emails: 'not-an-email' }),
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('Not an email address: not-an-email');
    const invited = await server.request('POST', `/admin/o/${t.org.id}/invite`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ emails: 'friend@people.test' }),
    });
    expect(invited.status).toBe(200);
    expect(await invited.text()).toContain('1 invited');
  });

  it('members without admin rights get 403 and strangers 404 on org pages', async () => {
    const t = await buildTenant(server.services, 'centralized');
    const member = await buildAccount(server.services, { orgId: t.org.id });
    const stranger = await buildAccount(server.services);
    for (const path of ['/outbox', '/audit', '/api-keys']) {
      const asMember = await server.request('GET', `/admin/o/${t.org.id}${path}`, {
        headers: await buildBasicAuth(server.services, member),
      });
      expect(asMember.status).toBe(403);
      const asStranger = await server.request('GET', `/admin/o/${t.org.id}${path}`, {
        headers: await buildBasicAuth(server.services, stranger),
      });
      expect(asStranger.status).toBe(404);
    }
  });

  it('never answers 500 to odd input on the console pages', async () => {
    const { auth, ...t } = await buildTenantWithAdminAuth(server.services, 'original');
    const base = `/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers`;
    const paths = [
      `${base}?q=%25_%5C'%22<script>&status=nope&limit=-5&after=zzz`,
      `${base}/not-a-customer`,
      `${base}/qm%3Anope%3Ax/migrate`,
      `${base}/qm%3Anope%3Ax/unknown-action`,
      `/admin/o/${t.org.id}/sites/${t.site.name}/jsm/migrations/not-a-task`,
      `/admin/o/${t.org.id}/sites/${t.site.name}/users/nobody`,
      `/admin/o/${t.org.id}/sites/%00/users`,
      `/admin/o/%27/products`,
      '/admin/no/such/page',
    ];
    for (const path of paths) {
      const res = await server.request('GET', path, { headers: auth });
      expect(res.status, path).toBeLessThan(500);
    }
    const posts = [
      [`${base}/migrate/preview`, formBody({ customerId: 'qm:x:y' })],
      [`${base}/migrate/start`, ''],
      [`${base}/qm%3Anope%3Ax/name`, formBody({ displayName: 'x' })],
      [
        `/admin/o/${t.org.id}/sites/${t.site.name}/users/${t.admin.id}/product-access`,
        formBody({ productId: 'nope' }),
      ],
      [
        `/admin/o/${t.org.id}/sites/${t.site.name}/users/${t.admin.id}/site-access`,
        formBody({ siteId: 'nope' }),
      ],
    ];
    for (const [path, body] of posts) {
      const res = await server.request('POST', path!, { headers: { ...auth, ...FORM_HEADERS }, body });
      expect(res.status, path).toBeLessThan(500);
    }
  });
});
