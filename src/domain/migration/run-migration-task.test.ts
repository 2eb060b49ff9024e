import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTask, updateTask } from '#src/db/queries/migration/migration-tasks.queries.ts';
import { portalCustomers } from '#src/db/schema/index.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { buildBulkCustomers, buildMigrationTenant } from '#src/test/factories/migration.ts';
import { countTotals, findInvariantViolations } from '#src/test/helpers/invariants.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { cancelMigration } from './cancel-migration.ts';
import { getMigrationTask } from './get-migration-task.ts';
import { migrateCustomerNow } from './migrate-customer.ts';
import { runMigrationItem, runMigrationTask } from './run-migration-task.ts';
import { startMigration } from './start-migration.ts';

// No workers: the test drives the job handler itself, so every step is deterministic.
let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

async function tenantWithCustomers(count: number) {
  const t = await buildMigrationTenant(server.services);
  const ids = await buildBulkCustomers(server.services, {
    orgId: t.org.id,
    siteId: t.site.id,
    count,
    requestsEach: 3,
    agentSiteUserId: t.agentSiteUserId,
    desk: t.desk,
  });
  return { t, ids };
}

describe('migration task runner', () => {
  it('runs a task to the end, and a second run (a retried job) changes nothing', async () => {
    const { t, ids } = await tenantWithCustomers(12);
    const before = await countTotals(server.services.db, t.org.id);
    const { task } = await startMigration(
      { services: server.services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
      {
        customerIds: ids,
      },
    );
    expect(await runMigrationTask(server.services, task.id)).toBe('success');
    expect(await runMigrationTask(server.services, task.id)).toBe('skipped');
    const view = await getMigrationTask(
      { services: server.services, actor: SYSTEM, tenant: ref(t) },
      { taskId: task.id, limit: 50 },
    );
    expect(view.task.status).toBe('succeeded');
    expect(view.counts).toMatchObject({ total: 12, succeeded: 12, pending: 0 });
    expect(await countTotals(server.services.db, t.org.id)).toEqual(before);
    expect(await findInvariantViolations(server.services.db, t.org.id)).toEqual([]);
  });

  it('shares a big task between runners (another worker process joining): every customer migrated once', async () => {
    const { t, ids } = await tenantWithCustomers(240);
    const before = await countTotals(server.services.db, t.org.id);
    const { task } = await startMigration(
      { services: server.services, actor: SYSTEM, tenant: ref(t) },
      { customerIds: ids },
    );
    // The first runner, and a joiner that starts at a random position; on PostgreSQL they claim items side by side.
    const outcomes = await Promise.all([
      runMigrationTask(server.services, task.id),
      runMigrationTask(server.services, task.id, { join: true }),
    ]);
    expect(outcomes.sort()).toEqual(['skipped', 'success']);
    const view = await getMigrationTask(
      { services: server.services, actor: SYSTEM, tenant: ref(t) },
      { taskId: task.id, limit: 1 },
    );
    expect(view.task.status).toBe('succeeded');
    expect(view.counts).toMatchObject({ total: 240, succeeded: 240, pending: 0 });
    expect(await countTotals(server.services.db, t.org.id)).toEqual(before);
    expect(await findInvariantViolations(server.services.db, t.org.id)).toEqual([]);
  });

  it('resumes a task whose worker died mid-way: finished customers are skipped, the rest migrated once', async () => {
    const { t, ids } = await tenantWithCustomers(6);
    const { task } = await startMigration(
      { services: server.services, actor: SYSTEM, tenant: ref(t) },
      { customerIds: ids },
    );
    // A first worker marked it running and finished two customers, then died.
    await updateTask(server.services.db, task.id, { status: 'running', startedAt: new Date() });
    const running = (await findTask(server.services.db, task.id))!;
    expect(await runMigrationItem(server.services, running, ids[0]!)).toBe('succeeded');
    expect(await runMigrationItem(server.services, running, ids[1]!)).toBe('succeeded');
    // Running an item twice (a duplicate worker) is a no-op.
    expect(await runMigrationItem(server.services, running, ids[1]!)).toBe('skipped');
    await runMigrationTask(server.services, task.id);
    const view = await getMigrationTask(
      { services: server.services, actor: SYSTEM, tenant: ref(t) },
      { taskId: task.id, limit: 50 },
    );
    expect(view.counts).toMatchObject({ succeeded: 6, failed: 0 });
    expect(await findInvariantViolations(server.services.db, t.org.id)).toEqual([]);
  });

  it('cancels a queued task at once, and a running one before its next customer; finished work stays', async () => {
    const { t, ids } = await tenantWithCustomers(5);
    const queued = await startMigration(
      { services: server.services, actor: SYSTEM, tenant: ref(t) },
      { customerIds: ids.slice(0, 2) },
    );
    const cancelled = await cancelMigration(
      { services: server.services, actor: SYSTEM, tenant: ref(t) },
      { taskId: queued.task.id },
    );
    expect(cancelled.status).toBe('cancelled');
    expect(await runMigrationTask(server.services, queued.task.id)).toBe('skipped');

    const { task } = await startMigration(
      { services: server.services, actor: SYSTEM, tenant: ref(t) },
      { customerIds: ids },
    );
    await updateTask(server.services.db, task.id, { status: 'running', startedAt: new Date() });
    await runMigrationItem(server.services, (await findTask(server.services.db, task.id))!, ids[0]!);
    const cancelling = await cancelMigration(
      { services: server.services, actor: SYSTEM, tenant: ref(t) },
      { taskId: task.id },
    );
    expect(cancelling.status).toBe('running');
    expect(cancelling.cancelRequestedAt).not.toBeNull();
    await runMigrationTask(server.services, task.id);
    const view = await getMigrationTask(
      { services: server.services, actor: SYSTEM, tenant: ref(t) },
      { taskId: task.id, limit: 50 },
    );
    expect(view.task.status).toBe('cancelled');
    expect(view.counts).toMatchObject({ succeeded: 1, cancelled: 4 });
    const statuses = await server.services.db
      .select({ id: portalCustomers.id, status: portalCustomers.status })
      .from(portalCustomers)
      .where(eq(portalCustomers.siteId, t.site.id));
    expect(statuses.filter((s) => s.status === 'migrated').map((s) => s.id)).toEqual([ids[0]]);
    await expect(
      cancelMigration({ services: server.services, actor: SYSTEM, tenant: ref(t) }, { taskId: task.id }),
    ).resolves.toMatchObject({ status: 'cancelled' });
  });

  it('migrates directly (no task) with a refusal for a second attempt', async () => {
    const { t, ids } = await tenantWithCustomers(1);
    const first = await migrateCustomerNow(
      { services: server.services, actor: SYSTEM, tenant: ref(t) },
      { customerId: ids[0]! },
    );
    expect(first.counts).toMatchObject({
      requests: 3,
      comments: 3,
      participants: 3,
      organizationMemberships: 1,
    });
    await expect(
      migrateCustomerNow(
        { services: server.services, actor: SYSTEM, tenant: ref(t) },
        { customerId: ids[0]! },
      ),
    ).rejects.toMatchObject({
      code: 'migration.already_migrated',
      data: { accountId: first.accountId },
    });
  });
});

function ref(t: Awaited<ReturnType<typeof buildMigrationTenant>>) {
  return { orgId: t.org.id, siteId: t.site.id };
}
