/**
 * Statement budgets of migration: what migrating one customer, and a batch of several, sends to the database,
 * counted at the driver on both drivers. The re-pointing is set-based, so a customer's statements do not grow
 * with its history, and a batch's do not grow with its customers; a change that adds a per-row, per-customer or
 * per-table round trip fails here without timing anything.
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
 * A task whose customers all fit one batch (up to 50), on PostgreSQL: 4 round trips for the task, each one
 * statement outside a transaction (its start, the site with its customer group, the one short page of pending
 * items, the finish), and 11 for the batch, whatever it holds — one transaction of claim, generic plans
 * (`useGenericPlans`), lock, accounts + memberships + site users, the one re-pointing statement, the closing
 * statement (retire, customers, sessions, group, mapping rows, items, set-password tokens and messages), the audit
 * chain (head, then events) and the mail jobs, BEGIN and COMMIT included.
 */
const taskBudget = () => onDriver(server.services.database, { roundTrips: 15, transactions: 1 });

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
    expectWithinBudget(small, taskBudget());
    expect(large.roundTrips).toBe(small.roundTrips);
    expect(large.transactions).toBe(small.transactions);
  });

  it('a batch costs the same round trips for one customer or forty', async () => {
    const t = await buildMigrationTenant(server.services);
    const one = await countRun(t, 1, 3);
    const forty = await countRun(t, 40, 3);
    expectWithinBudget(forty, taskBudget());
    expect(forty.roundTrips).toBe(one.roundTrips);
  });
});
