import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTenantWithCustomer } from '#src/test/factories/customers.ts';
import { buildAccount, TEST_PASSWORD, unique } from '#src/test/factories/directory.ts';
import { runQueuedJobs } from '#src/test/helpers/jobs.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { type StatementCounter, statementCounter } from '#src/test/helpers/statement-counter.ts';

/**
 * No enumeration by timing, held deterministically: a request for a known and for an unknown email sends the
 * same statements (same SQL text, in the same order) on the request path. The timings themselves are measured
 * in `npm run bench -- enumeration`, never asserted here.
 */

let server: TestServer;
let counter: StatementCounter;
beforeAll(async () => {
  server = await createTestServer({ workers: false, audit: false });
  counter = statementCounter(server.services.database);
});
afterAll(() => server.close());

let ip = 0;
/** The SQL the request sent through the app's database handle, with its answer. */
async function sqlOf(path: string, email: string, fields: Record<string, string> = {}) {
  const { result, log } = await counter.count(() =>
    server.request('POST', path, {
      body: { email, ...fields },
      headers: { 'x-forwarded-for': `192.0.2.${++ip}` },
    }),
  );
  // On PostgreSQL a tenant-scoped statement outside a transaction carries its values inlined (row-level security
  // sends the scope and the statement in one message): compare the statements, not the email and address in them.
  const statements = log.map((text) => text.replace(/'(?:[^']|'')*'/g, "'?'"));
  return { status: result.status, body: await result.text(), log: statements };
}

describe('enumeration-sensitive requests do the same work for known and unknown emails', () => {
  it('password-reset request', async () => {
    const account = await buildAccount(server.services);
    const known = await sqlOf('/rest/auth/1/password-reset/request', account.email);
    const unknown = await sqlOf('/rest/auth/1/password-reset/request', `${unique('nobody')}@example.test`);
    expect(known.status).toBe(202);
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    expect(unknown.log).toEqual(known.log);
    // Both queued the one job that does the lookup and the mail.
    expect(await runQueuedJobs(server, 'accounts.send-reset-mail')).toBe(2);
  });

  it('portal password-reset request', async () => {
    const { tenant, customer } = await buildTenantWithCustomer(server.services);
    const path = `/sites/${tenant.site.name}/rest/portal-auth/1/reset-request`;
    // The site's tenant is looked up once per site and then cached (row-level security scope): warm it, so both
    // requests below start from the same state.
    await server.request('GET', `/sites/${tenant.site.name}/rest/portal-auth/1/session`);
    const known = await sqlOf(path, customer.email!);
    const unknown = await sqlOf(path, `${unique('nobody')}@customers.test`);
    expect(known.status).toBe(202);
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    expect(unknown.log).toEqual(known.log);
    expect(await runQueuedJobs(server, 'customers.send-reset-mail')).toBe(2);
  });

  it('sign-up', async () => {
    const account = await buildAccount(server.services);
    const fields = { name: 'Someone', password: TEST_PASSWORD };
    const known = await sqlOf('/rest/auth/1/signup', account.email, fields);
    const unknown = await sqlOf('/rest/auth/1/signup', `${unique('nobody')}@example.test`, fields);
    expect(known.status).toBe(202);
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    expect(unknown.log).toEqual(known.log);
    expect(await runQueuedJobs(server, 'accounts.complete-sign-up')).toBe(2);
  });

  it('portal sign-up', async () => {
    const { tenant, customer } = await buildTenantWithCustomer(server.services);
    const path = `/sites/${tenant.site.name}/rest/portal-auth/1/signup`;
    await server.request('GET', `/sites/${tenant.site.name}/rest/portal-auth/1/session`);
    const fields = { displayName: 'Someone', password: TEST_PASSWORD };
    const known = await sqlOf(path, customer.email!, fields);
    const unknown = await sqlOf(path, `${unique('nobody')}@customers.test`, fields);
    expect(known.status).toBe(202);
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    expect(unknown.log).toEqual(known.log);
    expect(await runQueuedJobs(server, 'customers.complete-sign-up')).toBe(2);
  });
});
