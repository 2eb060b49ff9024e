import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTask, startTaskRun } from '#src/db/queries/migration/migration-tasks.queries.ts';
import { countSiteUserReferences } from '#src/db/queries/migration/repoint.queries.ts';
import { rowsOf } from '#src/db/queries/raw-rows.ts';
import { verifyAuditChain } from '#src/domain/audit/verify-chain.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { buildAccount } from '#src/test/factories/directory.ts';
import { buildCustomerWithHistory, buildMigrationTenant } from '#src/test/factories/migration.ts';
import { findInvariantViolations } from '#src/test/helpers/invariants.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { prepareSite } from './migrate-customer.ts';
import { runMigrationBatch, runMigrationTask } from './run-migration-task.ts';
import { startMigration } from './start-migration.ts';

/**
 * A task migrates its plain customers in set-based batches and leaves every other case to one-by-one migration:
 * a task mixing each kind of customer ends with the outcome each would get alone, every reference moved, one
 * audit event, mapping row and welcome mail per customer, and an intact audit chain.
 */

// Chunks of 20 rows: the customer with 30 requests migrates in chunks, outside any batch.
const CHUNK = 20;
const SLOW = 180_000;

const listOf = (values: string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false, env: { MIGRATION_CHUNK_ROWS: String(CHUNK) } });
}, 120_000);
afterAll(() => server.close());

describe('batch migration', { timeout: SLOW }, () => {
  it('migrates a task mixing every kind of customer, each as it would be alone', async () => {
    const { services } = server;
    const { db } = services;
    const t = await buildMigrationTenant(services);
    const history = { requests: 3, commentsPerRequest: 2, approvals: true, activity: true };
    const plain = [];
    for (let i = 0; i < 5; i++) plain.push(await buildCustomerWithHistory(services, t, history));
    // Accounts with the customers' emails: verified without a site user on the site, verified with one (the key
    // is kept), unverified (refused unless confirmed) and unverified but confirmed by the admin.
    const verified = await buildCustomerWithHistory(services, t, history);
    await buildAccount(services, { email: verified.customer.email!, verified: true });
    const verifiedOnSite = await buildCustomerWithHistory(services, t, history);
    const onSite = await buildAccount(services, {
      email: verifiedOnSite.customer.email!,
      verified: true,
      orgId: t.org.id,
      siteUserOn: [t.site.id],
    });
    const unverified = await buildCustomerWithHistory(services, t, history);
    await buildAccount(services, { email: unverified.customer.email!, verified: false });
    const confirmed = await buildCustomerWithHistory(services, t, history);
    await buildAccount(services, { email: confirmed.customer.email!, verified: false });
    const revoked = await buildCustomerWithHistory(services, t, history);
    await db.execute(sql`update portal_customers set status = 'revoked' where id = ${revoked.customer.id}`);
    const big = await buildCustomerWithHistory(services, t, { requests: 30 });

    const everyone = [...plain, verified, verifiedOnSite, unverified, confirmed, revoked, big];
    const before = await countSiteUserReferences(
      db,
      everyone.map((c) => c.siteUser.id),
    );
    const { task } = await startMigration(
      { services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
      { customerIds: everyone.map((c) => c.customer.id), confirmUnverifiedLinks: [confirmed.customer.id] },
    );
    expect(await runMigrationTask(services, task.id)).toBe('success');

    const items = rowsOf<{ customer_id: string; status: string; error_code: string | null; outcome: string }>(
      await db.execute(
        sql`select customer_id, status, error_code, outcome from migration_task_items where task_id = ${task.id}`,
      ),
    );
    const itemOf = (c: { customer: { id: string } }) => items.find((i) => i.customer_id === c.customer.id)!;
    for (const c of [...plain, big])
      expect(itemOf(c)).toMatchObject({ status: 'succeeded', outcome: 'created' });
    for (const c of [verified, verifiedOnSite, confirmed])
      expect(itemOf(c)).toMatchObject({ status: 'succeeded', outcome: 'linked' });
    expect(itemOf(unverified)).toMatchObject({ status: 'failed', error_code: 'migration.unverified_twin' });
    expect(itemOf(revoked)).toMatchObject({ status: 'failed', error_code: 'migration.customer_revoked' });

    const migrated = everyone.filter((c) => itemOf(c).status === 'succeeded');
    const mappings = rowsOf<{
      customer_id: string;
      counts: unknown;
      new_user_key: string;
      account_id: string;
    }>(
      await db.execute(sql`select customer_id, counts, new_user_key, account_id from customer_migrations
        where task_id = ${task.id}`),
    );
    expect(mappings).toHaveLength(migrated.length);
    for (const c of migrated) {
      const mapping = mappings.find((m) => m.customer_id === c.customer.id)!;
      // What moved is what the customer had; nothing still names the retired site user.
      expect(mapping.counts).toEqual(before.get(c.siteUser.id));
      const after = await countSiteUserReferences(db, [c.siteUser.id]);
      expect(Object.values(after.get(c.siteUser.id)!).every((n) => n === 0)).toBe(true);
    }
    // The plain and linked customers went in one batch (one transaction wrote their mapping rows); the big
    // history on its own.
    const batched = [...plain, verified, verifiedOnSite, confirmed].map((c) => c.customer.id);
    const writers = rowsOf<{ customer_id: string; tx: string }>(
      await db.execute(
        sql`select customer_id, xmin::text as tx from customer_migrations where task_id = ${task.id}`,
      ),
    );
    const txOf = (id: string) => writers.find((w) => w.customer_id === id)!.tx;
    expect(new Set(batched.map(txOf)).size).toBe(1);
    expect(txOf(big.customer.id)).not.toBe(txOf(batched[0]!));
    // The account that already had a site user on the site keeps its key.
    const [onSiteKey] = rowsOf<{ user_key: string }>(
      await db.execute(
        sql`select user_key from site_users where site_id = ${t.site.id} and account_id = ${onSite.id}`,
      ),
    );
    expect(mappings.find((m) => m.customer_id === verifiedOnSite.customer.id)!.new_user_key).toBe(
      onSiteKey!.user_key,
    );

    // One event per migrated customer, on an intact chain; one welcome mail (token, message) per new account, each
    // carried by exactly one delivery job (a batch's mails share one).
    const [events] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from audit_events
        where org_id = ${t.org.id} and action = 'customer.migrated' and data->>'taskId' = ${task.id}`),
    );
    expect(events!.n).toBe(migrated.length);
    expect(await verifyAuditChain(db, t.org.id)).toMatchObject({ ok: true });
    const created = mappings.filter((m) => itemOf({ customer: { id: m.customer_id } }).outcome === 'created');
    const [mail] = rowsOf<{ tokens: number; messages: number; jobs: number }>(
      await db.execute(sql`select
        (select count(*)::int from auth_tokens where purpose = 'set_password'
          and account_id in (${listOf(created.map((m) => m.account_id))})) as tokens,
        (select count(*)::int from mail_outbox where kind = 'migration.set_password'
          and "to" in (select email from accounts where id in (${listOf(created.map((m) => m.account_id))}))) as messages,
        (select count(*)::int from pgboss.job j,
            jsonb_array_elements_text(coalesce(j.data->'messageIds', jsonb_build_array(j.data->'messageId'))) m(id)
          where j.name = 'mail.deliver'
          and m.id in (select id from mail_outbox where kind = 'migration.set_password'
            and "to" in (select email from accounts where id in (${listOf(created.map((m) => m.account_id))})))) as jobs`),
    );
    expect(mail).toEqual({ tokens: created.length, messages: created.length, jobs: created.length });
    // Every new account is in the customer group and the org.
    const [grouped] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from group_members gm join groups g on g.id = gm.group_id
        where g.org_id = ${t.org.id} and g.role = 'customer'
          and gm.account_id in (select account_id from customer_migrations where task_id = ${task.id})`),
    );
    expect(grouped!.n).toBe(migrated.length);
    expect(await findInvariantViolations(db, t.org.id)).toEqual([]);
  });

  it('a batch that fails rolls back whole and leaves its customers to one-by-one migration', async () => {
    const { services } = server;
    const { db } = services;
    const t = await buildMigrationTenant(services);
    const customers = [];
    for (let i = 0; i < 4; i++) customers.push(await buildCustomerWithHistory(services, t, { requests: 2 }));
    const ids = customers.map((c) => c.customer.id);
    const { task } = await startMigration(
      { services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
      { customerIds: ids },
    );
    const running = (await findTask(db, task.id))!;
    // A customer group that does not exist: the batch's group insert breaks its foreign key at the very end.
    const prepared = await db.transaction((tx) => prepareSite(tx, t.org.id, t.site.id));
    const broken = { ...prepared, customerGroupId: 'no-such-group' };
    expect(await runMigrationBatch(services, running, broken, ids)).toEqual({ migrated: [], oneByOne: ids });
    const [state] = rowsOf<{ pending: number; active: number; accounts: number }>(
      await db.execute(sql`select
        (select count(*)::int from migration_task_items where task_id = ${task.id} and status = 'pending') as pending,
        (select count(*)::int from portal_customers where id in (${listOf(ids)})
          and status = 'active') as active,
        (select count(*)::int from accounts where lower(email) in (select lower(email) from portal_customers
          where id in (${listOf(ids)}))) as accounts`),
    );
    expect(state).toEqual({ pending: 4, active: 4, accounts: 0 });

    expect(await runMigrationTask(services, task.id)).toBe('success');
    const [done] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from migration_task_items
        where task_id = ${task.id} and status = 'succeeded'`),
    );
    expect(done!.n).toBe(customers.length);
    expect(await findInvariantViolations(db, t.org.id)).toEqual([]);
  });

  it('a batch asked to end its task ends it in the same commit only when nothing is left pending', async () => {
    const { services } = server;
    const { db } = services;
    const t = await buildMigrationTenant(services);
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push((await buildCustomerWithHistory(services, t, { requests: 1 })).customer.id);
    const { task } = await startMigration(
      { services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
      { customerIds: ids },
    );
    const { task: running } = (await startTaskRun(db, task.id, services.clock.now()))!;
    const prepared = await db.transaction((tx) => prepareSite(tx, t.org.id, t.site.id));

    // A third customer is still pending: the task keeps running.
    const first = await runMigrationBatch(services, running, prepared, ids.slice(0, 2), true);
    expect(first.migrated.sort()).toEqual(ids.slice(0, 2).sort());
    expect(first.taskEnded).toBeUndefined();
    expect((await findTask(db, task.id))!.status).toBe('running');

    const last = await runMigrationBatch(services, running, prepared, ids.slice(2), true);
    expect(last.taskEnded).toBe('succeeded');
    const ended = (await findTask(db, task.id))!;
    expect(ended.status).toBe('succeeded');
    expect(ended.finishedAt).not.toBeNull();
    // The runner's own finish afterwards finds nothing to do.
    expect(await runMigrationTask(services, task.id)).toBe('skipped');
    expect(await findInvariantViolations(db, t.org.id)).toEqual([]);
  });
});
