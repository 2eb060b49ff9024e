import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '#src/db/queries/raw-rows.ts';
import { customerLogin } from '#src/domain/customers/customer-auth.ts';
import { type Actor, SYSTEM } from '#src/domain/policies/actor.ts';
import { listRequests } from '#src/domain/servicedesk/list-requests.ts';
import { buildAccount } from '#src/test/factories/directory.ts';
import { buildCustomerWithHistory, buildMigrationTenant } from '#src/test/factories/migration.ts';
import { countTotals, findInvariantViolations } from '#src/test/helpers/invariants.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { moveChunk, startChunkedMigration } from './migrate-customer-in-chunks.ts';
import { runMigrationTask } from './run-migration-task.ts';
import { startMigration } from './start-migration.ts';

// Chunks of 10 rows per table: a customer with 40 requests moves in several short transactions.
const CHUNK = 10;
/** A loaded machine (eight suites at once) can take minutes; the limit only catches a hang. */
const SLOW = 180_000;
let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false, env: { MIGRATION_CHUNK_ROWS: String(CHUNK) } });
}, 120_000);
afterAll(() => server.close());

const REQUESTS = 40;
/** What `buildHistory` gives the customer: every request reported, every tenth raised by the agent, … */
const EXPECTED_COUNTS = {
  requests: REQUESTS,
  raisedOnBehalf: 0,
  assigned: 0,
  comments: REQUESTS * 2,
  participants: REQUESTS,
  approvals: REQUESTS,
  organizationMemberships: 1,
  serviceDeskMemberships: 1,
};

async function scene(options: { twin?: boolean } = {}) {
  const t = await buildMigrationTenant(server.services);
  const email = `chunked-${Math.random().toString(36).slice(2)}@customers.test`;
  const twin = options.twin ? await buildAccount(server.services, { email, verified: true }) : undefined;
  const { customer, siteUser } = await buildCustomerWithHistory(server.services, t, {
    email,
    requests: REQUESTS,
  });
  const { task } = await startMigration(
    { services: server.services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
    {
      customerIds: [customer.id],
    },
  );
  return { t, customer, oldSiteUserId: siteUser.id, task, twin };
}

async function mapping(customerId: string) {
  const [row] = rowsOf<{ counts: Record<string, number>; status: string }>(
    await server.services.db.execute(
      sql`select m.counts, c.status from customer_migrations m join portal_customers c on c.id = m.customer_id
          where m.customer_id = ${customerId}`,
    ),
  );
  return row;
}

describe('chunked migration of a customer with a big history', { timeout: SLOW }, () => {
  it('moves everything in chunks; the mapping counts equal the rows moved', async () => {
    const { t, customer, task } = await scene();
    const before = await countTotals(server.services.db, t.org.id);
    expect(await runMigrationTask(server.services, task.id)).toBe('success');
    expect(await mapping(customer.id)).toEqual({ counts: EXPECTED_COUNTS, status: 'migrated' });
    expect(await countTotals(server.services.db, t.org.id)).toEqual(before);
    expect(await findInvariantViolations(server.services.db, t.org.id)).toEqual([]);
  });

  it('while migrating: login refused, reads resolve both site users, new writes land on the account; then resumes', async () => {
    const { t, customer, oldSiteUserId, task, twin } = await scene({ twin: true });
    // What a worker killed after two chunks leaves behind.
    await server.services.db.transaction((tx) =>
      startChunkedMigration(tx, server.services, SYSTEM, {
        orgId: t.org.id,
        siteId: t.site.id,
        customerId: customer.id,
        taskId: task.id,
      }),
    );
    const first = await moveChunk(server.services, task.id, customer.id, CHUNK);
    expect(first.rows).toBeGreaterThan(0);
    expect(
      (await moveChunk(server.services, task.id, customer.id, CHUNK, first.cursor)).rows,
    ).toBeGreaterThan(0);
    const db = server.services.db;
    const [state] = rowsOf<{ status: string; replaced_by: string; moved: number; left: number }>(
      await db.execute(sql`
        select c.status, u.replaced_by,
          (select count(*)::int from requests where reporter_id = u.replaced_by) as moved,
          (select count(*)::int from requests where reporter_id = u.id) as left
        from portal_customers c join site_users u on u.customer_id = c.id where c.id = ${customer.id}`),
    );
    expect(state).toMatchObject({ status: 'migrating', moved: 2 * CHUNK, left: REQUESTS - 2 * CHUNK });
    // The email stays reserved: a new customer with it is refused by the live-email unique index.
    const reserved = await db
      .execute(
        sql`insert into portal_customers (id, org_id, site_id, email, display_name)
            values ('qm:dup', ${t.org.id}, ${t.site.id}, ${customer.email}, 'Dup')`,
      )
      .catch((error: unknown) => error);
    expect(reserved).toBeInstanceOf(Error);
    // The portal login is refused with a message saying the account is being moved.
    const password = 'correct horse battery staple 42';
    await db.execute(
      sql`update portal_customers set password_hash = ${await server.services.passwords.hash(password)}
          where id = ${customer.id}`,
    );
    const refused = await customerLogin(server.services, t.site, { email: customer.email!, password }).catch(
      (error: unknown) => error,
    );
    expect((refused as Error).message).toMatch(/being moved/);
    // The account holder already sees every request: moved ones and those still on the old site user.
    const actor: Actor = { type: 'account', accountId: twin!.id, email: twin!.email, via: 'api_token' };
    const listed = await listRequests(
      { services: server.services, actor, tenant: { site: t.site } },
      { start: 0, limit: 100 },
    );
    expect(listed.requests.filter((r) => r.reporterId === oldSiteUserId).length).toBe(REQUESTS - 2 * CHUNK);
    expect(listed.requests.length).toBe(REQUESTS);
    // A write naming the old site user now lands on the account's site user, and is not counted as moved.
    const [comment] = rowsOf<{ author_id: string }>(
      await db.execute(sql`
        insert into request_comments (org_id, request_id, author_id, body)
        select org_id, id, ${oldSiteUserId}, 'during' from requests where reporter_id = ${oldSiteUserId} limit 1
        returning author_id`),
    );
    expect(comment!.author_id).toBe(state!.replaced_by);
    // The task resumes where the chunks stopped and finishes.
    expect(await runMigrationTask(server.services, task.id)).toBe('success');
    expect(await mapping(customer.id)).toEqual({ counts: EXPECTED_COUNTS, status: 'migrated' });
    expect(await findInvariantViolations(db, t.org.id)).toEqual([]);
  });
});
