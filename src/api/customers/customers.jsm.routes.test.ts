import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCustomerSession,
  buildTenantWithCustomer,
  countCustomerSessions,
  giveProductRole,
} from '#src/test/factories/customers.ts';
import { buildAccount, buildBasicAuth, buildSite, buildTenant } from '#src/test/factories/directory.ts';
import { extractLink, extractToken, lastMailTo } from '#src/test/helpers/outbox.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const base = (orgId: string, siteId: string) =>
  `/admin/v1/orgs/${orgId}/sites/${siteId}/portal-only-customers`;

describe('JSM API: create, revoke and grant portal-only customers', () => {
  it('creates a customer (201 UserDTO); existing email → 400, or 409 when strict', async () => {
    const t = await buildTenant(server.services);
    const headers = bearer(t.apiKey);
    const path = `/sites/${t.site.name}/rest/servicedeskapi/customer`;
    const created = await server.request('POST', path, {
      headers,
      body: { email: 'fred@example.test', displayName: 'Fred F. User' },
    });
    expect(created.status).toBe(201);
    const dto = await created.json();
    expect(dto).toMatchObject({
      emailAddress: 'fred@example.test',
      displayName: 'Fred F. User',
      active: true,
      timeZone: 'UTC',
    });
    expect(dto.accountId).toMatch(/^qm:/);
    expect(dto.name).toBe(dto.accountId);
    expect(dto.key).toBe(dto.accountId);
    expect(dto._links.self).toContain(`/sites/${t.site.name}/`);

    const duplicate = await server.request('POST', path, { headers, body: { email: 'FRED@example.test' } });
    expect(duplicate.status).toBe(400);
    const error = await duplicate.json();
    expect(error.i18nErrorMessage.i18nKey).toBe('customers.email_in_use');
    expect(error.errorMessage).toMatch(/already exists/);
    const strict = await server.request('POST', `${path}?strictConflictStatusCode=true`, {
      headers,
      body: { email: 'fred@example.test' },
    });
    expect(strict.status).toBe(409);

    const malformed = await server.request('POST', path, { headers, body: { email: 'not-an-email' } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).i18nErrorMessage.i18nKey).toBe('request.invalid_input');
  });

  it('create: 401 anonymous, 404 unknown site and other tenant, 403 agent; JSM admin allowed', async () => {
    const t = await buildTenant(server.services);
    const other = await buildTenant(server.services);
    const path = `/sites/${t.site.name}/rest/servicedeskapi/customer`;
    const body = { email: 'x@example.test' };
    expect((await server.request('POST', path, { body })).status).toBe(401);
    expect(
      (
        await server.request('POST', '/sites/no-such-site/rest/servicedeskapi/customer', {
          body,
          headers: bearer(t.apiKey),
        })
      ).status,
    ).toBe(404);
    expect((await server.request('POST', path, { body, headers: bearer(other.apiKey) })).status).toBe(404);
    const agent = await buildAccount(server.services, { orgId: t.org.id });
    await giveProductRole(server.services, {
      orgId: t.org.id,
      productId: t.jsm.id,
      accountId: agent.id,
      role: 'user',
    });
    const refused = await server.request('POST', path, {
      body,
      headers: await buildBasicAuth(server.services, agent),
    });
    expect(refused.status).toBe(403);
    const jsmAdmin = await buildAccount(server.services, { orgId: t.org.id });
    await giveProductRole(server.services, {
      orgId: t.org.id,
      productId: t.jsm.id,
      accountId: jsmAdmin.id,
      role: 'admin',
    });
    const ok = await server.request('POST', path, {
      body,
      headers: await buildBasicAuth(server.services, jsmAdmin),
    });
    expect(ok.status).toBe(201);
  });

  it('revokes and grants by REST (204), 404 for unknown ids and other sites', async () => {
    const { tenant: t, customer } = await buildTenantWithCustomer(server.services);
    await buildCustomerSession(server.services, customer);
    const headers = bearer(t.apiKey);
    const user = `/sites/${t.site.name}/rest/servicedeskapi/customer/user`;
    const revoke = await server.request(
      'PUT',
      `${user}/${encodeURIComponent(customer.id)}/revoke-portal-only-access`,
      {
        headers,
      },
    );
    expect(revoke.status).toBe(204);
    expect(await countCustomerSessions(server.services, customer.id)).toBe(0);
    const unknown = await server.request('PUT', `${user}/qm:nope/revoke-portal-only-access`, { headers });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).i18nErrorMessage.i18nKey).toBe('customers.not_found');
    const second = await buildSite(server.services, t.org.id);
    const wrongSite = await server.request(
      'PUT',
      `/sites/${second.site.name}/rest/servicedeskapi/customer/user/${encodeURIComponent(customer.id)}/grant-portal-only-access`,
      { headers },
    );
    expect(wrongSite.status).toBe(404);
    const grant = await server.request(
      'PUT',
      `${user}/${encodeURIComponent(customer.id)}/grant-portal-only-access`,
      {
        headers,
      },
    );
    expect(grant.status).toBe(204);
  });

  it('mails a first-password link; the customer logs in, and cannot once revoked or deleted', async () => {
    const t = await buildTenant(server.services);
    const email = `first-${Date.now()}@customers.test`;
    const created = await server.request('POST', `/sites/${t.site.name}/rest/servicedeskapi/customer`, {
      headers: bearer(t.apiKey),
      body: { email, displayName: 'First Timer' },
    });
    const { accountId } = await created.json();
    const mail = await lastMailTo(server.services, email, 'set_password');
    expect(extractLink(mail)).toContain(`/sites/${t.site.name}/portal/reset-password?token=`);
    const password = 'my own first passphrase';
    const reset = await server.request('POST', `/sites/${t.site.name}/rest/portal-auth/1/reset`, {
      body: { token: extractToken(mail), password },
    });
    expect(reset.status).toBe(204);
    const login = () =>
      server.request('POST', `/sites/${t.site.name}/rest/portal-auth/1/login`, { body: { email, password } });
    expect((await login()).status).toBe(200);
    expect(await countCustomerSessions(server.services, accountId)).toBe(1);

    const path = `${base(t.org.id, t.site.id)}/${encodeURIComponent(accountId)}`;
    await server.request('POST', `${path}/revoke-access`, { headers: bearer(t.apiKey) });
    expect(await countCustomerSessions(server.services, accountId)).toBe(0);
    expect((await login()).status).toBe(403);
    await server.request('POST', `${path}/grant-access`, { headers: bearer(t.apiKey) });
    expect((await login()).status).toBe(200);
    await server.request('DELETE', path, { headers: bearer(t.apiKey) });
    expect(await countCustomerSessions(server.services, accountId)).toBe(0);
    expect((await login()).status).toBe(401);
  });

  it('refuses a common password on the admin password change', async () => {
    const { tenant: t, customer } = await buildTenantWithCustomer(server.services);
    const weak = await server.request(
      'PUT',
      `${base(t.org.id, t.site.id)}/${encodeURIComponent(customer.id)}/password`,
      { headers: bearer(t.apiKey), body: { password: 'password1234' } },
    );
    expect(weak.status).toBe(400);
    expect((await weak.json()).errors[0].meta.code).toBe('auth.weak_password');
  });
});
