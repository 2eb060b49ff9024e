/**
 * Statement budgets of the hot reads: the request list and detail a portal-only customer sees (session cookie),
 * and the Admin API users list (org API key). Counted at the driver on both drivers; a change that adds a
 * round trip (an N+1, a second lookup of the caller) fails here without timing anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount } from '#src/test/factories/directory.ts';
import { buildCustomerWithHistory, buildMigrationTenant } from '#src/test/factories/migration.ts';
import { customerCookie } from '#src/test/factories/servicedesk.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import {
  expectWithinBudget,
  onDriver,
  type StatementBudget,
  type StatementCounter,
  statementCounter,
} from '#src/test/helpers/statement-counter.ts';

let server: TestServer;
let counter: StatementCounter;
let tenant: Awaited<ReturnType<typeof buildMigrationTenant>>;
let cookie: Record<string, string>;
beforeAll(async () => {
  server = await createTestServer({ workers: false, audit: false });
  counter = statementCounter(server.services.database);
  tenant = await buildMigrationTenant(server.services);
  // More requests than a page, each with two participants and comments: what an N+1 would multiply.
  const { customer } = await buildCustomerWithHistory(server.services, tenant, { requests: 60 });
  cookie = await customerCookie(server.services, customer);
  for (let i = 0; i < 5; i++) await buildAccount(server.services, { orgId: tenant.org.id });
});
afterAll(() => server.close());

/** The budget as written for PostgreSQL, on the driver under test (`onDriver`). */
const budget = (postgres: StatementBudget) => onDriver(server.services.database, postgres);

const sd = (path: string) => `/sites/${tenant.site.name}/rest/servicedeskapi/${path}`;
const get = (path: string, headers: Record<string, string>) =>
  counter.count(() => server.request('GET', path, { headers }));

describe('statement budget: request list', () => {
  it('a page of 50 of my requests stays within its budget', async () => {
    const measured = await get(sd('request?requestOwnership=OWNED_REQUESTS&limit=50'), cookie);
    expect(measured.result.status).toBe(200);
    expect((await measured.result.json()).size).toBe(50);
    // The session with the caller's site and site user, the path's site for the tenant scope (its first request
    // only), the page.
    expectWithinBudget(measured, budget({ roundTrips: 3, transactions: 0 }));
  });

  it('a page of 50 with every expansion stays within its budget', async () => {
    const measured = await get(
      sd(
        'request?requestOwnership=OWNED_REQUESTS&limit=50&expand=participant,status,serviceDesk,requestType',
      ),
      cookie,
    );
    expect(measured.result.status).toBe(200);
    expect((await measured.result.json()).values[0].requestFieldValues).toBeDefined();
    // The session with the caller's site, the page; then participants, people, desks and types: one statement
    // each for the whole page. `expand=status` reads the status history: one statement for the whole page.
    expectWithinBudget(measured, budget({ roundTrips: 7, transactions: 0 }));
  });
});

describe('statement budget: request detail', () => {
  it('one request with its expansions stays within its budget', async () => {
    const list = await server.request('GET', sd('request?requestOwnership=OWNED_REQUESTS&limit=1'), {
      headers: cookie,
    });
    const id = (await list.json()).values[0].issueId as string;
    const measured = await get(sd(`request/${id}?expand=participant,status,serviceDesk,requestType`), cookie);
    expect(measured.result.status).toBe(200);
    expect((await measured.result.json()).issueId).toBe(id);
    // The session with the caller's site, the request, then one statement per expansion.
    expectWithinBudget(measured, budget({ roundTrips: 7, transactions: 0 }));
  });
});

describe('statement budget: admin users list', () => {
  it('a page of the org users stays within its budget', async () => {
    // Steady state: the key's first use of the minute also records its last use (one more write).
    await server.request('GET', `/admin/v1/orgs/${tenant.org.id}`, { headers: bearer(tenant.apiKey) });
    const measured = await get(`/admin/v1/orgs/${tenant.org.id}/users`, bearer(tenant.apiKey));
    expect(measured.result.status).toBe(200);
    expect((await measured.result.json()).data.length).toBeGreaterThanOrEqual(6);
    // Key, org, the page with its total, the product roles of the page.
    expectWithinBudget(measured, budget({ roundTrips: 4, transactions: 0 }));
  });
});
