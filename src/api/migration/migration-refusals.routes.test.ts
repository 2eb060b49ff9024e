import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalCustomers } from '#src/db/schema/index.ts';
import { buildAccount, buildBasicAuth, buildCustomer } from '#src/test/factories/directory.ts';
import { buildCustomerWithHistory, buildMigrationTenant } from '#src/test/factories/migration.ts';
import { findInvariantViolations } from '#src/test/helpers/invariants.ts';
import { base, migrationCalls } from '#src/test/helpers/migration-api.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: true });
});
afterAll(() => server.close());

const { start, waitForTask } = migrationCalls(() => server);

describe('migration API: refusals', () => {
  it('refuses deleted, revoked (unless includeRevoked) and unverified twins (unless confirmed), per customer', async () => {
    const t = await buildMigrationTenant(server.services);
    const revoked = await buildCustomerWithHistory(server.services, t);
    const deleted = await buildCustomerWithHistory(server.services, t);
    const email = `unverified-${Date.now()}@customers.test`;
    await buildAccount(server.services, { email, verified: false });
    const unverified = await buildCustomerWithHistory(server.services, t, { email });
    const fine = await buildCustomerWithHistory(server.services, t);
    const db = server.services.db;
    await db
      .update(portalCustomers)
      .set({ status: 'revoked' })
      .where(eq(portalCustomers.id, revoked.customer.id));
    await db
      .update(portalCustomers)
      .set({ status: 'deleted' })
      .where(eq(portalCustomers.id, deleted.customer.id));
    const ids = [revoked, deleted, unverified, fine].map((c) => c.customer.id);

    const preview = await server.request('POST', `${base(t)}/migrations/preview`, {
      body: { customerIds: ids },
      headers: bearer(t.apiKey),
    });
    expect(preview.status).toBe(200);
    const plan = await preview.json();
    expect(plan.customers.map((p: { action: string }) => p.action)).toEqual([
      'refuse',
      'refuse',
      'refuse',
      'create',
    ]);
    expect(plan.summary.conflicts).toEqual({
      'migration.customer_revoked': 1,
      'migration.customer_deleted': 1,
      'migration.unverified_twin': 1,
    });
    expect(plan.customers[3].counts).toMatchObject({ requests: 5, participants: 5, approvals: 5 });
    expect(plan.licence).toMatchObject({
      seatsUsedByMigration: 0,
      seatsNeededForAgentAccess: 1,
      seatLimit: 5,
    });
    const [stillActive] = await db
      .select()
      .from(portalCustomers)
      .where(eq(portalCustomers.id, fine.customer.id));
    expect(stillActive!.status).toBe('active'); // a preview writes nothing

    const done = await waitForTask(t, (await (await start(t, { customerIds: ids })).json()).taskId);
    expect(done.task.status).toBe('succeeded');
    expect(done.data.map((i: { errorCode: string | null }) => i.errorCode)).toEqual([
      'migration.customer_revoked',
      'migration.customer_deleted',
      'migration.unverified_twin',
      null,
    ]);

    const retry = await start(t, {
      customerIds: [revoked.customer.id, unverified.customer.id],
      includeRevoked: true,
      confirmUnverifiedLinks: [unverified.customer.id],
    });
    const second = await waitForTask(t, (await retry.json()).taskId);
    expect(second.data.map((i: { status: string }) => i.status)).toEqual(['succeeded', 'succeeded']);
    expect(second.data[1].outcome).toBe('linked');
    expect(await findInvariantViolations(db, t.org.id)).toEqual([]);
  });

  it('answers 400 for more than 1,000 customers, for customers of another site, and for an empty list', async () => {
    const t = await buildMigrationTenant(server.services);
    const tooMany = await start(t, { customerIds: Array.from({ length: 1001 }, (_, i) => `qm:${i}`) });
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).errors[0]).toMatchObject({
      code: 'ADMIN-400-24',
      meta: { code: 'migration.too_many' },
    });

    const other = await server.request('GET', `/admin/v1/orgs/${t.org.id}/sites`, {
      headers: bearer(t.apiKey),
    });
    expect(other.status).toBe(200);
    const { buildSite } = await import('#src/test/factories/directory.ts');
    const site2 = await buildSite(server.services, t.org.id);
    const elsewhere = await buildCustomer(server.services, { orgId: t.org.id, siteId: site2.site.id });
    const mine = await buildCustomer(server.services, { orgId: t.org.id, siteId: t.site.id });
    const mixed = await start(t, { customerIds: [mine.customer.id, elsewhere.customer.id] });
    expect(mixed.status).toBe(400);
    expect((await mixed.json()).errors[0].meta.code).toBe('migration.mixed_sites');
    const unknown = await start(t, { customerIds: ['qm:nope'] });
    expect(unknown.status).toBe(404);
    const empty = await start(t, { customerIds: [] });
    expect(empty.status).toBe(400);
  });

  it('answers 401 without credentials, 403 to a plain member and to a site admin in the centralized experience, 404 across tenants', async () => {
    const t = await buildMigrationTenant(server.services);
    const { customer } = await buildCustomer(server.services, { orgId: t.org.id, siteId: t.site.id });
    const body = { customerIds: [customer.id] };
    expect((await start(t, body, {})).status).toBe(401);
    const member = await buildAccount(server.services, { orgId: t.org.id });
    const denied = await start(t, body, await buildBasicAuth(server.services, member));
    expect(denied.status).toBe(403);
    const siteAdmin = await buildAccount(server.services, { orgId: t.org.id, siteAdminOf: [t.site.id] });
    expect((await start(t, body, await buildBasicAuth(server.services, siteAdmin))).status).toBe(403);
    const stranger = await buildMigrationTenant(server.services);
    const cross = await start(t, body, bearer(stranger.apiKey));
    expect(cross.status).toBe(404);
    for (const path of [
      '/duplicate-candidates',
      `/customer-migrations?customerId=x`,
      '/migratable-customers',
    ]) {
      const response = await server.request('GET', `${base(t)}${path}`, { headers: bearer(stranger.apiKey) });
      expect(response.status, path).toBe(404);
    }
    // The task of one tenant is invisible to another, even with a valid key.
    const task = await (await start(t, body)).json();
    const peek = await server.request('GET', `${base(stranger)}/migrations/${task.taskId}`, {
      headers: bearer(stranger.apiKey),
    });
    expect(peek.status).toBe(404);
    await waitForTask(t, task.taskId);
  });

  it('lets a site admin migrate in the original experience', async () => {
    const t = await buildMigrationTenant(server.services, 'original');
    const { customer } = await buildCustomerWithHistory(server.services, t);
    const siteAdmin = await buildAccount(server.services, { orgId: t.org.id, siteAdminOf: [t.site.id] });
    const response = await start(
      t,
      { customerIds: [customer.id] },
      await buildBasicAuth(server.services, siteAdmin),
    );
    expect(response.status).toBe(202);
    const done = await waitForTask(t, (await response.json()).taskId);
    expect(done.data[0].status).toBe('succeeded');
  });
});
