import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, pendingSignUps, portalCustomers, sites } from '#src/db/schema/index.ts';
import { loginAs } from '#src/test/factories/accounts.ts';
import { buildTenantWithCustomer } from '#src/test/factories/customers.ts';
import { buildSite, buildTenant, TEST_PASSWORD, unique } from '#src/test/factories/directory.ts';
import { runQueuedJobs } from '#src/test/helpers/jobs.ts';
import { extractLink, extractToken, lastMailTo } from '#src/test/helpers/outbox.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

let ipCounter = 0;
const ip = () => ({ 'x-forwarded-for': `203.0.114.${++ipCounter % 250}` });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  server.request('POST', path, { body, headers: { ...ip(), ...headers } });
const auth = (site: string, route: string) => `/sites/${site}/rest/portal-auth/1/${route}`;

async function setAccess(siteId: string, patch: Partial<typeof sites.$inferInsert>) {
  await server.services.db.update(sites).set(patch).where(eq(sites.id, siteId));
}

describe('portal-only customer login', () => {
  it('logs a customer in to its own site only, with a session that other sites and the admin API ignore', async () => {
    const { tenant, customer } = await buildTenantWithCustomer(server.services);
    const other = await buildSite(server.services, tenant.org.id);
    const session = await loginAs(server, customer.email!, TEST_PASSWORD, { site: tenant.site.name });

    const mine = await server.request('GET', auth(tenant.site.name, 'session'), { headers: session.read });
    expect(mine.status).toBe(200);
    expect((await mine.json()).customer).toMatchObject({ accountId: customer.id, siteId: tenant.site.id });

    const elsewhere = await server.request('GET', auth(other.site.name, 'session'), {
      headers: session.read,
    });
    expect(elsewhere.status).toBe(401);
    const admin = await server.request('GET', `/admin/v1/orgs/${tenant.org.id}`, { headers: session.read });
    expect(admin.status).toBe(401);
    const profile = await server.request('GET', '/rest/auth/1/profile', { headers: session.read });
    expect(profile.status).toBe(401);

    // The same email and password do not log in on another site of the same org.
    const wrongSite = await post(auth(other.site.name, 'login'), {
      email: customer.email,
      password: TEST_PASSWORD,
    });
    expect(wrongSite.status).toBe(401);
  });

  it('gives the same answer for an unknown email and a wrong password, and 404 for an unknown site', async () => {
    const { tenant, customer } = await buildTenantWithCustomer(server.services);
    const unknown = await post(auth(tenant.site.name, 'login'), {
      email: `${unique('n')}@customers.test`,
      password: 'some wrong password',
    });
    const wrong = await post(auth(tenant.site.name, 'login'), {
      email: customer.email,
      password: 'some wrong password',
    });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
    const noSite = await post(auth('no-such-site-x', 'login'), {
      email: customer.email,
      password: TEST_PASSWORD,
    });
    expect(noSite.status).toBe(404);
    const [failure] = await server.services.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, customer.id))
      .orderBy(sql`${auditEvents.seq} desc`)
      .limit(1);
    expect(failure).toMatchObject({
      action: 'auth.login_failed',
      orgId: tenant.org.id,
      siteId: tenant.site.id,
    });
  });

  it('stops a revoked customer at once: its session ends and it cannot log in again', async () => {
    const { tenant, customer } = await buildTenantWithCustomer(server.services);
    const session = await loginAs(server, customer.email!, TEST_PASSWORD, { site: tenant.site.name });
    await server.services.db
      .update(portalCustomers)
      .set({ status: 'revoked' })
      .where(eq(portalCustomers.id, customer.id));
    expect(
      (await server.request('GET', auth(tenant.site.name, 'session'), { headers: session.read })).status,
    ).toBe(401);
    const again = await post(auth(tenant.site.name, 'login'), {
      email: customer.email,
      password: TEST_PASSWORD,
    });
    expect(again.status).toBe(403);
  });

  it('logs out with the CSRF token only', async () => {
    const { tenant, customer } = await buildTenantWithCustomer(server.services);
    const session = await loginAs(server, customer.email!, TEST_PASSWORD, { site: tenant.site.name });
    const noCsrf = await server.request('POST', auth(tenant.site.name, 'logout'), { headers: session.read });
    expect(noCsrf.status).toBe(403);
    expect((await noCsrf.json()).i18nErrorMessage.i18nKey).toBe('auth.csrf_failed');
    expect(
      (await server.request('POST', auth(tenant.site.name, 'logout'), { headers: session.write })).status,
    ).toBe(204);
    expect(
      (await server.request('GET', auth(tenant.site.name, 'session'), { headers: session.read })).status,
    ).toBe(401);
  });
});

describe('portal-only customer lockout', () => {
  it('locks a customer at exactly 10 failures under 30 parallel attempts', async () => {
    const { tenant, customer } = await buildTenantWithCustomer(server.services);
    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        post(auth(tenant.site.name, 'login'), { email: customer.email, password: 'a wrong password' }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 423)).toHaveLength(20);
    const locked = await post(auth(tenant.site.name, 'login'), {
      email: customer.email,
      password: TEST_PASSWORD,
    });
    expect(locked.status).toBe(423);
  });
});

describe('portal-only customer sign-up', () => {
  it('signs up where anyone may, verifies by the mailed link, then logs in', async () => {
    const tenant = await buildTenant(server.services);
    const email = `${unique('su')}@customers.test`;
    const response = await post(auth(tenant.site.name, 'signup'), {
      email,
      displayName: 'Sam Customer',
      password: TEST_PASSWORD,
    });
    expect(response.status).toBe(202);
    // The hash waits in the tenant's pending sign-up, not in the job.
    const [pending] = await server.services.db
      .select()
      .from(pendingSignUps)
      .where(eq(pendingSignUps.email, email));
    expect(pending).toMatchObject({ orgId: tenant.org.id, siteId: tenant.site.id, name: 'Sam Customer' });
    expect(await runQueuedJobs(server, 'customers.complete-sign-up')).toBe(1);
    expect(
      await server.services.db.select().from(pendingSignUps).where(eq(pendingSignUps.id, pending!.id)),
    ).toEqual([]);
    const mail = await lastMailTo(server.services, email, 'verify_email');
    expect(extractLink(mail)).toContain(
      `http://gatehouse.test/sites/${tenant.site.name}/portal/verify-email?token=`,
    );
    const early = await post(auth(tenant.site.name, 'login'), { email, password: TEST_PASSWORD });
    expect(early.status).toBe(403);
    const verified = await post(auth(tenant.site.name, 'verify-email'), { token: extractToken(mail) });
    expect(verified.status).toBe(200);
    expect((await verified.json()).accountId).toMatch(/^qm:/);
    await loginAs(server, email, TEST_PASSWORD, { site: tenant.site.name });
  });

  it('follows the customer access settings: invited only, approved domains, portal-only not allowed', async () => {
    const tenant = await buildTenant(server.services);
    const body = (email: string) => ({ email, displayName: 'X', password: TEST_PASSWORD });
    await setAccess(tenant.site.id, { signupMode: 'invited_only' });
    const invited = await post(auth(tenant.site.name, 'signup'), body(`${unique('a')}@customers.test`));
    expect(invited.status).toBe(403);
    expect((await invited.json()).i18nErrorMessage.i18nKey).toBe('auth.signup_disabled');

    await setAccess(tenant.site.id, { signupMode: 'approved_domains', approvedDomains: ['partner.test'] });
    expect((await post(auth(tenant.site.name, 'signup'), body(`${unique('b')}@elsewhere.test`))).status).toBe(
      403,
    );
    expect((await post(auth(tenant.site.name, 'signup'), body(`${unique('c')}@Partner.test`))).status).toBe(
      202,
    );
    expect(await runQueuedJobs(server, 'customers.complete-sign-up')).toBe(1);

    await setAccess(tenant.site.id, { signupMode: 'anyone', allowPortalOnly: false });
    expect((await post(auth(tenant.site.name, 'signup'), body(`${unique('d')}@customers.test`))).status).toBe(
      403,
    );
  });

  it('answers the same for an email already used on the site, creating no second customer', async () => {
    const { tenant, customer } = await buildTenantWithCustomer(server.services);
    const response = await post(auth(tenant.site.name, 'signup'), {
      email: customer.email,
      displayName: 'Twin',
      password: TEST_PASSWORD,
    });
    expect(response.status).toBe(202);
    expect(await runQueuedJobs(server, 'customers.complete-sign-up')).toBe(1);
    const rows = await server.services.db
      .select()
      .from(portalCustomers)
      .where(eq(portalCustomers.siteId, tenant.site.id));
    expect(rows.filter((r) => r.email === customer.email)).toHaveLength(1);
    expect((await lastMailTo(server.services, customer.email!)).kind).toBe('signup_existing');
  });
});

describe('portal-only customer password reset', () => {
  it('mails a site link, resets once, ends sessions; the token does not work on another site', async () => {
    const { tenant, customer } = await buildTenantWithCustomer(server.services);
    const other = await buildSite(server.services, tenant.org.id);
    const session = await loginAs(server, customer.email!, TEST_PASSWORD, { site: tenant.site.name });
    const requested = await post(auth(tenant.site.name, 'reset-request'), { email: customer.email });
    expect(requested.status).toBe(202);
    const unknown = await post(auth(tenant.site.name, 'reset-request'), {
      email: `${unique('u')}@customers.test`,
    });
    expect(await unknown.json()).toEqual(await requested.json());
    expect(await runQueuedJobs(server, 'customers.send-reset-mail')).toBeGreaterThanOrEqual(2);
    const mail = await lastMailTo(server.services, customer.email!, 'reset_password');
    expect(extractLink(mail)).toContain(`/sites/${tenant.site.name}/portal/reset-password?token=`);
    const token = extractToken(mail);

    const crossSite = await post(auth(other.site.name, 'reset'), {
      token,
      password: 'brand new customer passphrase',
    });
    expect(crossSite.status).toBe(400);
    expect((await crossSite.json()).i18nErrorMessage.i18nKey).toBe('auth.token_invalid');

    const reset = await post(auth(tenant.site.name, 'reset'), {
      token,
      password: 'brand new customer passphrase',
    });
    expect(reset.status).toBe(204);
    expect(
      (await server.request('GET', auth(tenant.site.name, 'session'), { headers: session.read })).status,
    ).toBe(401);
    const reuse = await post(auth(tenant.site.name, 'reset'), { token, password: 'another new passphrase' });
    expect((await reuse.json()).i18nErrorMessage.i18nKey).toBe('auth.token_used');
    await loginAs(server, customer.email!, 'brand new customer passphrase', { site: tenant.site.name });
  });
});
