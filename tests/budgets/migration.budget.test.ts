/**
 * Statement budgets of migration: what migrating one customer, and a task of several, sends to the database,
 * counted at the driver on both drivers. The re-pointing is set-based, so a customer's statements do not grow
 * with its history; a change that adds a per-row or per-table round trip fails here without timing anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrationTask } from '#src/domain/migration/run-migration-task.ts';
import { startMigration } from '#src/domain/migration/start-migration.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { buildCustomerWithHistory, buildMigrationTenant } from '#src/test/factories/migration.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import {
  expectWithinBudget,
  onDriver,
  type StatementCounter,
  statementCounter,
} from '#src/test/helpers/statement-counter.ts';

let server: TestServer;
let counter: StatementCounter;
beforeAll(async () => {
  server = await createTestServer({ workers: false, audit: false });
  counter = statementCounter(server.services.database);
});
afterAll(() => server.close());

type Tenant = Awaited<ReturnType<typeof buildMigrationTenant>>;

/**
 * A task of `n` customers on PostgreSQL: 16 round trips for the task (start, the site's group, the pending pages,
 * the finish) and 19 per customer at most — the chunk-size check, its one transaction of 17 (locks, account, site
 * user, the one re-pointing statement, set-password mail and job, retire + mapping, audit event, item) and a
 * re-read of the task for a cancel request, which happens at most once per customer (every CANCEL_CHECK_MS).
 */
const taskBudget = (n: number) =>
  onDriver(server.services.database, { roundTrips: 16 + 19 * n, transactions: 3 + n });

/** Starts a task of `customers` customers with `requests` requests each, then counts its run. */
async function countRun(t: Tenant, customers: number, requests: number) {
  const customerIds: string[] = [];
  for (let i = 0; i < customers; i++) {
    const { customer } = await buildCustomerWithHistory(server.services, t, { requests, activity: true });
    customerIds.push(customer.id);
  }
  const { task } = await startMigration(
    { services: server.services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
    { customerIds },
  );
  const measured = await counter.count(() => runMigrationTask(server.services, task.id));
  expect(measured.result).toBe('success');
  return measured;
}

describe('statement budget: migration', () => {
  it('one customer stays within its budget, whatever the size of its history', async () => {
    const t = await buildMigrationTenant(server.services);
    const small = await countRun(t, 1, 2);
    const large = await countRun(t, 1, 40);
    expectWithinBudget(small, taskBudget(1));
    expect(large.roundTrips).toBe(small.roundTrips);
    expect(large.transactions).toBe(small.transactions);
  });

  it('a task of ten customers costs at most the budget of one per customer, and less in total', async () => {
    const t = await buildMigrationTenant(server.services);
    const one = await countRun(t, 1, 3);
    const ten = await countRun(t, 10, 3);
    expectWithinBudget(ten, taskBudget(10));
    expect(ten.roundTrips).toBeLessThan(one.roundTrips * 10);
  });
});
