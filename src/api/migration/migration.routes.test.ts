import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accounts,
  auditEvents,
  groupMembers,
  groups,
  mailOutbox,
  portalCustomers,
  siteUsers,
} from '#src/db/schema/index.ts';
import { buildCustomerSession, countCustomerSessions } from '#src/test/factories/customers.ts';
import { buildAccount, buildApiKey, buildCustomer } from '#src/test/factories/directory.ts';
import { buildCustomerWithHistory, buildMigrationTenant } from '#src/test/factories/migration.ts';
import { countTotals, findInvariantViolations } from '#src/test/helpers/invariants.ts';
import { base, migrationCalls } from '#src/test/helpers/migration-api.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: true });
});
afterAll(() => server.close());

const { start, waitForTask } = migrationCalls(() => server);

describe('migration API: one customer', () => {
  it('creates an account, re-points every reference, retires the old key, and records it exactly once', async () => {
    const t = await buildMigrationTenant(server.services);
    const { customer, siteUser } = await buildCustomerWithHistory(server.services, t, { requests: 7 });
    await buildCustomerSession(server.services, customer);
    const before = await countTotals(server.services.db, t.org.id);

    const response = await start(t, { customerIds: [customer.id] });
    expect(response.status).toBe(202);
    const task = await response.json();
    expect(task).toMatchObject({ status: expect.stringMatching(/queued|running/), counts: { total: 1 } });
    const done = await waitForTask(t, task.taskId);
    expect(done.task.status).toBe('succeeded');
    const [item] = done.data;
    expect(item).toMatchObject({
      customerId: customer.id,
      status: 'succeeded',
      outcome: 'created',
      oldUserKey: siteUser.userKey,
      counts: {
        requests: 7,
        comments: 14, // comments 1 and 3 of each request are the customer's: 2 × 7
        participants: 7,
        approvals: 7,
        organizationMemberships: 1,
        serviceDeskMemberships: 1,
      },
    });
    expect(item.newUserKey).not.toBe(siteUser.userKey);

    const db = server.services.db;
    const [migrated] = await db.select().from(portalCustomers).where(eq(portalCustomers.id, customer.id));
    expect(migrated).toMatchObject({ status: 'migrated', migratedToAccountId: item.accountId });
    const [account] = await db.select().from(accounts).where(eq(accounts.id, item.accountId));
    expect(account).toMatchObject({ email: customer.email, emailVerifiedAt: null, passwordHash: null });
    const [old] = await db.select().from(siteUsers).where(eq(siteUsers.id, siteUser.id));
    expect(old!.status).toBe('retired');
    expect(await countCustomerSessions(server.services, customer.id)).toBe(0);
    const inGroup = await db
      .select({ name: groups.name })
      .from(groupMembers)
      .innerJoin(groups, eq(groups.id, groupMembers.groupId))
      .where(eq(groupMembers.accountId, item.accountId));
    expect(inGroup.map((g) => g.name)).toContain(
      `jira-servicemanagement-customers-${t.site.name.toLowerCase()}`,
    );
    const mail = await db.select().from(mailOutbox).where(eq(mailOutbox.to, customer.email!));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain('set-password?token=');
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'customer.migrated'), eq(auditEvents.targetId, customer.id)));
    expect(events).toHaveLength(1);

    expect(await countTotals(db, t.org.id)).toEqual(before);
    expect(await findInvariantViolations(db, t.org.id)).toEqual([]);

    const lookup = await server.request(
      'GET',
      `${base(t)}/customer-migrations?customerId=${encodeURIComponent(customer.id)}`,
      { headers: bearer(t.apiKey) },
    );
    expect((await lookup.json()).data).toEqual([
      expect.objectContaining({ customerId: customer.id, accountId: item.accountId, outcome: 'created' }),
    ]);
    const byEmail = await server.request(
      'GET',
      `${base(t)}/customer-migrations?email=${encodeURIComponent(customer.email!.toUpperCase())}`,
      { headers: bearer(t.apiKey) },
    );
    expect((await byEmail.json()).data).toHaveLength(1);

    // A repeat is refused with the account id, and nothing changes.
    const again = await waitForTask(
      t,
      (await (await start(t, { customerIds: [customer.id] })).json()).taskId,
    );
    expect(again.task.status).toBe('failed');
    expect(again.data[0]).toMatchObject({
      status: 'failed',
      errorCode: 'migration.already_migrated',
      accountId: item.accountId,
    });
    expect(await findInvariantViolations(db, t.org.id)).toEqual([]);
  });

  it('links to an account with the same verified email, which keeps its credentials and its own references', async () => {
    const t = await buildMigrationTenant(server.services);
    const email = `twin-${Date.now()}@customers.test`;
    const twin = await buildAccount(server.services, {
      orgId: t.org.id,
      email,
      verified: true,
      siteUserOn: [t.site.id],
    });
    const { customer } = await buildCustomerWithHistory(server.services, t, { email, requests: 3 });
    const before = await countTotals(server.services.db, t.org.id);
    const task = await (await start(t, { emails: [email.toUpperCase()] })).json();
    const done = await waitForTask(t, task.taskId);
    expect(done.data[0]).toMatchObject({ customerId: customer.id, outcome: 'linked', accountId: twin.id });
    const [account] = await server.services.db.select().from(accounts).where(eq(accounts.id, twin.id));
    expect(account!.passwordHash).toBe(twin.passwordHash);
    const mail = await server.services.db.select().from(mailOutbox).where(eq(mailOutbox.to, email));
    expect(mail).toHaveLength(0);
    expect(await countTotals(server.services.db, t.org.id)).toEqual(before);
    expect(await findInvariantViolations(server.services.db, t.org.id)).toEqual([]);
  });
});

describe('migration API: tasks', () => {
  it('twenty concurrent starts for the same customers produce one task and one migration', async () => {
    const t = await buildMigrationTenant(server.services);
    const customers = [
      await buildCustomerWithHistory(server.services, t),
      await buildCustomerWithHistory(server.services, t),
    ];
    const ids = customers.map((c) => c.customer.id);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => start(t, { customerIds: i % 2 ? ids : [...ids].reverse() })),
    );
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<{ taskId: string }>;
    expect(new Set(bodies.map((b) => b.taskId)).size).toBe(1);
    expect(responses.filter((r) => r.status === 202)).toHaveLength(1);
    expect(responses.every((r) => r.status === 202 || r.status === 200)).toBe(true);
    const done = await waitForTask(t, bodies[0]!.taskId);
    expect(done.task.counts).toMatchObject({ total: 2, succeeded: 2 });
    const result = await server.services.db.execute(
      sql`select count(*)::int as n from customer_migrations where org_id = ${t.org.id}`,
    );
    const [row] = (result as unknown as { rows: Array<{ n: number }> }).rows;
    expect(Number(row!.n)).toBe(2);
    expect(await findInvariantViolations(server.services.db, t.org.id)).toEqual([]);
  });

  it('serves the report as JSON and CSV, pages items, lists duplicate candidates, and refuses to cancel a finished task', async () => {
    const t = await buildMigrationTenant(server.services);
    const email = `dup-${Date.now()}@customers.test`;
    await buildAccount(server.services, { email });
    const dup = await buildCustomerWithHistory(server.services, t, { email });
    const others = [
      await buildCustomerWithHistory(server.services, t),
      await buildCustomerWithHistory(server.services, t),
    ];

    const candidates = await (
      await server.request('GET', `${base(t)}/duplicate-candidates?limit=1`, { headers: bearer(t.apiKey) })
    ).json();
    expect(candidates.data).toEqual([expect.objectContaining({ customerId: dup.customer.id, email })]);

    const ids = [dup, ...others].map((c) => c.customer.id);
    const task = await (await start(t, { customerIds: ids })).json();
    await waitForTask(t, task.taskId);
    const page1 = await (
      await server.request('GET', `${base(t)}/migrations/${task.taskId}?limit=2`, {
        headers: bearer(t.apiKey),
      })
    ).json();
    expect(page1.data.map((i: { customerId: string }) => i.customerId)).toEqual(ids.slice(0, 2));
    const page2 = await (await server.request('GET', page1.links.next, { headers: bearer(t.apiKey) })).json();
    expect(page2.data.map((i: { customerId: string }) => i.customerId)).toEqual(ids.slice(2));
    expect(page2.links.next).toBeUndefined();

    const json = await (
      await server.request('GET', `${base(t)}/migrations/${task.taskId}/report`, {
        headers: bearer(t.apiKey),
      })
    ).json();
    expect(json.customers).toHaveLength(3);
    expect(json.customers[0]).toMatchObject({ outcome: 'linked', status: 'succeeded' });
    const csv = await server.request('GET', `${base(t)}/migrations/${task.taskId}/report?format=csv`, {
      headers: bearer(t.apiKey),
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^position,customerId,email,status,outcome,accountId/);
    expect(lines).toHaveLength(4);

    const candidatesAfter = await (
      await server.request('GET', `${base(t)}/duplicate-candidates`, { headers: bearer(t.apiKey) })
    ).json();
    expect(candidatesAfter.data).toEqual([]);

    const cancel = await server.request('POST', `${base(t)}/migrations/${task.taskId}/cancel`, {
      headers: bearer(t.apiKey),
    });
    expect(cancel.status).toBe(409);
    expect((await cancel.json()).errors[0].meta.code).toBe('migration.not_cancellable');
  });

  it('lists migratable customers in pages for the CLI', async () => {
    const t = await buildMigrationTenant(server.services);
    const made = [];
    for (let i = 0; i < 3; i++)
      made.push((await buildCustomer(server.services, { orgId: t.org.id, siteId: t.site.id })).customer.id);
    const seen: string[] = [];
    let next: string | undefined = `${base(t)}/migratable-customers?limit=2`;
    while (next) {
      const page = await (await server.request('GET', next, { headers: bearer(t.apiKey) })).json();
      seen.push(...page.data.map((c: { id: string }) => c.id));
      next = page.links.next;
    }
    expect(seen.sort()).toEqual(made.sort());
    const key2 = await buildApiKey(server.services, t.org.id);
    const sites = await (
      await server.request('GET', `/admin/v1/orgs/${t.org.id}/sites`, { headers: bearer(key2) })
    ).json();
    expect(sites.data.map((s: { name: string }) => s.name)).toEqual([t.site.name]);
  });
});

describe('migration API: OpenAPI', () => {
  it('documents every migration route with its error responses', async () => {
    const document = (await (await server.request('GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; tags: string[] }>>;
    };
    const base = '/admin/v1/orgs/{orgId}/sites/{siteId}';
    const expected: Array<[string, string, string[]]> = [
      [`${base}/migrations`, 'post', ['202', '200', '400', '401', '403', '404']],
      [`${base}/migrations/preview`, 'post', ['200', '400', '401', '403', '404']],
      [`${base}/migrations/{taskId}`, 'get', ['200', '401', '403', '404']],
      [`${base}/migrations/{taskId}/cancel`, 'post', ['202', '401', '403', '404', '409']],
      [`${base}/migrations/{taskId}/report`, 'get', ['200', '401', '403', '404']],
      [`${base}/customer-migrations`, 'get', ['200', '400', '401', '403', '404']],
      [`${base}/duplicate-candidates`, 'get', ['200', '401', '403', '404']],
      [`${base}/migratable-customers`, 'get', ['200', '401', '403', '404']],
      ['/admin/v1/orgs/{orgId}/sites', 'get', ['200', '401', '403', '404']],
    ];
    for (const [path, method, statuses] of expected) {
      const operation = document.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(statuses));
    }
  });
});
