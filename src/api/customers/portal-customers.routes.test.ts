import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalCustomers } from '#src/db/schema/index.ts';
import {
  buildCustomerSession,
  buildTenantWithCustomer,
  countCustomerSessions,
} from '#src/test/factories/customers.ts';
import {
  buildAccount,
  buildBasicAuth,
  buildCustomer,
  buildSite,
  buildTenant,
  TEST_PASSWORD,
} from '#src/test/factories/directory.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const base = (orgId: string, siteId: string) =>
  `/admin/v1/orgs/${orgId}/sites/${siteId}/portal-only-customers`;

describe('admin API: portal-only customers', () => {
  it('lists with search by email and by name, status filter and cursor pages', async () => {
    const t = await buildTenant(server.services);
    const ann = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: 'ann.smith@customers.test',
      displayName: 'Ann Smith',
    });
    const bob = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: 'bob@else.test',
      displayName: 'Bob Jones',
    });
    await buildCustomer(server.services, { orgId: t.org.id, siteId: t.site.id });
    const other = await buildSite(server.services, t.org.id);
    await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: other.site.id,
      email: 'ann.smith@customers.test',
    });
    const headers = bearer(t.apiKey);

    const byEmail = await (
      await server.request('GET', `${base(t.org.id, t.site.id)}?query=ANN.SMITH`, { headers })
    ).json();
    expect(byEmail.data.map((c: { id: string }) => c.id)).toEqual([ann.customer.id]);
    const byName = await (
      await server.request('GET', `${base(t.org.id, t.site.id)}?query=jones`, { headers })
    ).json();
    expect(byName.data.map((c: { id: string }) => c.id)).toEqual([bob.customer.id]);

    const seen: string[] = [];
    let next: string | undefined = `${base(t.org.id, t.site.id)}?limit=2`;
    while (next) {
      const page = await (await server.request('GET', next, { headers })).json();
      seen.push(...page.data.map((c: { id: string }) => c.id));
      next = page.links.next;
    }
    expect(seen).toHaveLength(3);

    await server.request(
      'POST',
      `${base(t.org.id, t.site.id)}/${encodeURIComponent(bob.customer.id)}/revoke-access`,
      {
        headers,
      },
    );
    const revoked = await (
      await server.request('GET', `${base(t.org.id, t.site.id)}?status=revoked`, { headers })
    ).json();
    expect(revoked.data).toHaveLength(1);
    expect(revoked.data[0]).toMatchObject({
      id: bob.customer.id,
      displayName: 'Bob Jones (Deactivated)',
      statusLabel: 'Deactivated',
      active: false,
    });
  });

  it('revokes (sessions end, shown Deactivated), grants back, and is idempotent', async () => {
    const t = await buildTenant(server.services);
    const { customer } = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      displayName: 'Cara',
    });
    await buildCustomerSession(server.services, customer);
    const path = `${base(t.org.id, t.site.id)}/${encodeURIComponent(customer.id)}`;
    const headers = { ...bearer(t.apiKey), 'x-forwarded-for': '203.0.113.9' };
    for (let i = 0; i < 2; i++) {
      const revoked = await server.request('POST', `${path}/revoke-access`, { headers });
      expect(revoked.status).toBe(200);
      expect((await revoked.json()).data).toMatchObject({
        status: 'revoked',
        displayName: 'Cara (Deactivated)',
      });
    }
    expect(await countCustomerSessions(server.services, customer.id)).toBe(0);
    const [event] = await server.services.db.query.auditEvents.findMany({
      where: (e, { and, eq }) => and(eq(e.targetId, customer.id), eq(e.action, 'customer.access_revoked')),
    });
    expect(event).toMatchObject({
      orgId: t.org.id,
      actorType: 'api_key',
      ip: '203.0.113.9',
      siteId: t.site.id,
    });
    const granted = await server.request('POST', `${path}/grant-access`, { headers });
    expect((await granted.json()).data).toMatchObject({
      status: 'active',
      displayName: 'Cara',
      active: true,
    });
  });

  it('changes the password (sessions end) and edits the full name', async () => {
    const { tenant: t, customer } = await buildTenantWithCustomer(server.services);
    await buildCustomerSession(server.services, customer);
    const path = `${base(t.org.id, t.site.id)}/${encodeURIComponent(customer.id)}`;
    const headers = bearer(t.apiKey);
    const short = await server.request('PUT', `${path}/password`, { headers, body: { password: 'short' } });
    expect(short.status).toBe(400);
    expect((await short.json()).errors[0].meta.code).toBe('request.invalid_input');
    const ok = await server.request('PUT', `${path}/password`, {
      headers,
      body: { password: 'a brand new passphrase' },
    });
    expect(ok.status).toBe(200);
    expect(await countCustomerSessions(server.services, customer.id)).toBe(0);
    const [row] = await server.services.db.query.portalCustomers.findMany({
      where: (c, { eq }) => eq(c.id, customer.id),
    });
    expect(await server.services.passwords.verify(row!.passwordHash!, 'a brand new passphrase')).toBe(true);
    expect(await server.services.passwords.verify(row!.passwordHash!, TEST_PASSWORD)).toBe(false);

    const renamed = await server.request('PUT', `${path}/name`, {
      headers,
      body: { displayName: '  Dana Doe ' },
    });
    expect((await renamed.json()).data).toMatchObject({ displayName: 'Dana Doe', fullName: 'Dana Doe' });
    const empty = await server.request('PUT', `${path}/name`, { headers, body: { displayName: '   ' } });
    expect(empty.status).toBe(400);
  });

  it('deletes irreversibly: personal data erased, "Former user (Deactivated)", later changes 410', async () => {
    const t = await buildTenant(server.services);
    const { customer } = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: 'gone@x.test',
    });
    await buildCustomerSession(server.services, customer);
    const path = `${base(t.org.id, t.site.id)}/${encodeURIComponent(customer.id)}`;
    const headers = bearer(t.apiKey);
    const deleted = await server.request('DELETE', path, { headers });
    expect(deleted.status).toBe(200);
    expect((await deleted.json()).data).toMatchObject({
      status: 'deleted',
      email: null,
      fullName: null,
      displayName: 'Former user (Deactivated)',
      hasPassword: false,
    });
    expect(await countCustomerSessions(server.services, customer.id)).toBe(0);
    for (const [method, suffix] of [
      ['POST', '/grant-access'],
      ['POST', '/revoke-access'],
      ['DELETE', ''],
    ] as const) {
      const again = await server.request(method, `${path}${suffix}`, { headers });
      expect(again.status, suffix).toBe(410);
      expect((await again.json()).errors[0].meta.code).toBe('customers.deleted');
    }
    const search = await (
      await server.request('GET', `${base(t.org.id, t.site.id)}?query=former`, { headers })
    ).json();
    expect(search.data).toEqual([]);
    // The email is free again for a new customer.
    await buildCustomer(server.services, { orgId: t.org.id, siteId: t.site.id, email: 'gone@x.test' });
  });

  it('answers 409 for changes to a migrated customer (the profile is an inactive record)', async () => {
    const t = await buildTenant(server.services);
    const { customer } = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      displayName: 'Moved',
    });
    await server.services.db
      .update(portalCustomers)
      .set({ status: 'migrated', migratedToAccountId: t.admin.id })
      .where(eq(portalCustomers.id, customer.id));
    const path = `${base(t.org.id, t.site.id)}/${encodeURIComponent(customer.id)}`;
    const headers = bearer(t.apiKey);
    for (const [method, suffix, body] of [
      ['POST', '/revoke-access', undefined],
      ['PUT', '/name', { displayName: 'New' }],
      ['DELETE', '', undefined],
    ] as const) {
      const response = await server.request(method, `${path}${suffix}`, { headers, body });
      expect(response.status, suffix).toBe(409);
      expect((await response.json()).errors[0].meta.code).toBe('customers.invalid_state');
    }
    const shown = (await (await server.request('GET', path, { headers })).json()).data;
    expect(shown).toMatchObject({
      displayName: 'Moved',
      statusLabel: 'Inactive',
      active: false,
      accountTwin: null,
    });
  });

  it('shows the account twin (duplicate note) on the customer, case-insensitively', async () => {
    const t = await buildTenant(server.services);
    const { customer } = await buildCustomer(server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: 'Twin@Dup.test',
    });
    const path = `${base(t.org.id, t.site.id)}/${encodeURIComponent(customer.id)}`;
    const before = await (await server.request('GET', path, { headers: bearer(t.apiKey) })).json();
    expect(before.data.accountTwin).toBeNull();
    const account = await buildAccount(server.services, { email: 'twin@dup.TEST', verified: false });
    const after = await (await server.request('GET', path, { headers: bearer(t.apiKey) })).json();
    expect(after.data.accountTwin).toEqual({ accountId: account.id, email: account.email, verified: false });
  });

  it('answers 401, 404 for other tenants and unknown ids, 403 per experience', async () => {
    const centralized = await buildTenant(server.services, 'centralized');
    const original = await buildTenant(server.services, 'original');
    const other = await buildTenant(server.services);
    const c1 = await buildCustomer(server.services, {
      orgId: centralized.org.id,
      siteId: centralized.site.id,
    });
    const c2 = await buildCustomer(server.services, { orgId: original.org.id, siteId: original.site.id });

    const anonymous = await server.request('GET', base(centralized.org.id, centralized.site.id));
    expect(anonymous.status).toBe(401);

    const otherKey = bearer(other.apiKey);
    const cross = await server.request('GET', base(centralized.org.id, centralized.site.id), {
      headers: otherKey,
    });
    expect(cross.status).toBe(404);
    const crossOne = await server.request(
      'POST',
      `${base(centralized.org.id, centralized.site.id)}/${encodeURIComponent(c1.customer.id)}/revoke-access`,
      { headers: otherKey },
    );
    expect(crossOne.status).toBe(404);
    // The other org's site through my org: 404 site.
    const mixed = await server.request('GET', base(centralized.org.id, other.site.id), {
      headers: bearer(centralized.apiKey),
    });
    expect(mixed.status).toBe(404);
    expect((await mixed.json()).errors[0].meta.code).toBe('directory.site_not_found');
    // A customer of another site is not found through this site.
    const wrongSite = await server.request(
      'GET',
      `${base(centralized.org.id, centralized.site.id)}/${encodeURIComponent(c2.customer.id)}`,
      { headers: bearer(centralized.apiKey) },
    );
    expect(wrongSite.status).toBe(404);
    expect((await wrongSite.json()).errors[0].meta.code).toBe('customers.not_found');

    // Site admins: refused in centralized, allowed in original (their own site only).
    const siteAdminC = await buildAccount(server.services, {
      orgId: centralized.org.id,
      siteAdminOf: [centralized.site.id],
    });
    const refused = await server.request(
      'POST',
      `${base(centralized.org.id, centralized.site.id)}/${encodeURIComponent(c1.customer.id)}/revoke-access`,
      { headers: await buildBasicAuth(server.services, siteAdminC) },
    );
    expect(refused.status).toBe(403);
    expect((await refused.json()).errors[0].meta.code).toBe('auth.forbidden');

    const siteAdminO = await buildAccount(server.services, {
      orgId: original.org.id,
      siteAdminOf: [original.site.id],
    });
    const allowed = await server.request(
      'POST',
      `${base(original.org.id, original.site.id)}/${encodeURIComponent(c2.customer.id)}/revoke-access`,
      { headers: await buildBasicAuth(server.services, siteAdminO) },
    );
    expect(allowed.status).toBe(200);
    const second = await buildSite(server.services, original.org.id);
    const notTheirs = await server.request('GET', base(original.org.id, second.site.id), {
      headers: await buildBasicAuth(server.services, siteAdminO),
    });
    expect(notTheirs.status).toBe(403);
  });
});
