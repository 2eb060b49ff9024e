/**
 * Statement budgets of the login paths: what one login sends to the database, counted at the driver on both
 * drivers. A change that adds a round trip or a transaction to a login fails here without timing anything
 * (the speed itself is measured by `npm run bench`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTenantWithCustomer } from '#src/test/factories/customers.ts';
import { buildAccount, buildOrg, TEST_PASSWORD, unique } from '#src/test/factories/directory.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import {
  expectWithinBudget,
  onDriver,
  type StatementBudget,
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

/** The budget as written for PostgreSQL, on the driver under test (`onDriver`). */
const budget = (postgres: StatementBudget) => onDriver(server.services.database, postgres);

let ipCounter = 0;
const login = (path: string, email: string, password: string) =>
  counter.count(() =>
    server.request('POST', path, {
      body: { email, password },
      headers: { 'x-forwarded-for': `198.51.100.${++ipCounter % 250}` },
    }),
  );

describe('statement budget: account login', () => {
  it('a successful login of an org member stays within its budget', async () => {
    const org = await buildOrg(server.services);
    const account = await buildAccount(server.services, { orgId: org.id });
    const measured = await login('/rest/auth/1/login', account.email, TEST_PASSWORD);
    expect(measured.result.status).toBe(200);
    // One statement before argon2 (rate limit, lookup, attempt slot), one after (session + audit event).
    expectWithinBudget(measured, { roundTrips: 2, transactions: 0 });
  });

  it('unknown email, no password and wrong password send the same statements and answer the same 401', async () => {
    const org = await buildOrg(server.services);
    const withPassword = await buildAccount(server.services, { orgId: org.id });
    const withoutPassword = await buildAccount(server.services, { orgId: org.id, password: null });
    const unknown = await login('/rest/auth/1/login', `${unique('nobody')}@example.test`, 'wrong password 1');
    const noPassword = await login('/rest/auth/1/login', withoutPassword.email, 'wrong password 1');
    const wrong = await login('/rest/auth/1/login', withPassword.email, 'wrong password 1');
    for (const measured of [unknown, noPassword, wrong]) {
      expect(measured.result.status).toBe(401);
      expectWithinBudget(measured, { roundTrips: 2, transactions: 0 });
    }
    expect(unknown.roundTrips).toBe(wrong.roundTrips);
    expect(noPassword.roundTrips).toBe(wrong.roundTrips);
    const bodies = await Promise.all([unknown, noPassword, wrong].map((m) => m.result.json()));
    expect(bodies[0]).toEqual(bodies[1]);
    expect(bodies[1]).toEqual(bodies[2]);
  });
});

describe('statement budget: portal login', () => {
  it('a successful portal-only customer login stays within its budget', async () => {
    const { tenant, customer } = await buildTenantWithCustomer(server.services);
    const measured = await login(
      `/sites/${tenant.site.name}/rest/portal-auth/1/login`,
      customer.email!,
      TEST_PASSWORD,
    );
    expect(measured.result.status).toBe(200);
    // The site, then the same two statements as an account login.
    expectWithinBudget(measured, budget({ roundTrips: 4, transactions: 0 }));
  });

  it('unknown email and wrong password send the same statements and answer the same 401', async () => {
    const { tenant, customer } = await buildTenantWithCustomer(server.services);
    const path = `/sites/${tenant.site.name}/rest/portal-auth/1/login`;
    // The site's tenant is cached after its first lookup: warm it so both attempts start from the same state.
    await login(path, `${unique('warm')}@customers.test`, 'wrong password 1');
    const unknown = await login(path, `${unique('nobody')}@customers.test`, 'wrong password 1');
    const wrong = await login(path, customer.email!, 'wrong password 1');
    expect([unknown.result.status, wrong.result.status]).toEqual([401, 401]);
    expect(unknown.roundTrips).toBe(wrong.roundTrips);
    expect(unknown.transactions).toBe(wrong.transactions);
    expect(await unknown.result.json()).toEqual(await wrong.result.json());
  });
});
