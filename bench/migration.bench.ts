/**
 * Migration benchmarks (issue 6), each against a lower bound measured in the same run on the same database:
 *
 * 1. One customer with 1,000 requests (3 comments and 2 participants each, 1 approval each, org and desk
 *    membership): the API call (`POST …/migrations`, in-process) until the task is `succeeded`, vs the bound = the
 *    same inserts and updates as bare SQL statements in one transaction (account, membership, site user, every
 *    re-pointing statement, retire, customer state, group member, mapping, audit row).
 * 2. 1,000 customers × 10 requests in one task (API → succeeded) vs the same writes as set-based bare SQL, 50
 *    customers per transaction (`bareMigrateBatch`).
 *
 * 0. The fixed cost: a customer with one request, API → succeeded (p50 of BENCH_MIGRATION_FIXED_ROUNDS, default 15).
 *
 * Database: PGlite in a temporary folder, or a fresh database on the PostgreSQL server of DATABASE_URL.
 * Env: BENCH_MIGRATION_ROUNDS (default 7) for (1), BENCH_MIGRATION_BULK (default 1000; more goes in calls of
 * 1,000, the API's limit, whose tasks run side by side) for (2).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { boot, type Runtime } from '#src/app/boot.ts';
import { createApp } from '#src/app/create-app.ts';
import { parseConfig } from '#src/config/env.ts';
import type { Executor } from '#src/db/client.ts';
import type { AppServices } from '#src/domain/services.ts';
import { newAccountId, newId, newUserKey } from '#src/shared/ids.ts';
import {
  buildBulkCustomers,
  buildCustomerWithHistory,
  buildMigrationTenant,
} from '#src/test/factories/migration.ts';
import type { BenchGoal, BenchResult } from './run.ts';

const ROUNDS = Number(process.env.BENCH_MIGRATION_ROUNDS ?? 7);
const BULK = Number(process.env.BENCH_MIGRATION_BULK ?? 1000);
const FIXED_ROUNDS = Number(process.env.BENCH_MIGRATION_FIXED_ROUNDS ?? 15);

type Tenant = Awaited<ReturnType<typeof buildMigrationTenant>>;

function rows<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { n: sorted.length, p50Ms: round(pct(0.5)), p95Ms: round(pct(0.95)), minMs: round(sorted[0]!) };
}

/** The bare-SQL lower bound of migrating one customer: the same writes, no checks, no job. */
async function bareMigrate(tx: Executor, tenant: Tenant, customerId: string, groupId: string): Promise<void> {
  const [c] = rows<{ email: string; display_name: string; su: string; user_key: string }>(
    await tx.execute(sql`
      select c.email, c.display_name, u.id as su, u.user_key
      from portal_customers c join site_users u on u.customer_id = c.id where c.id = ${customerId}`),
  );
  const accountId = newAccountId();
  const n = newId();
  const o = c!.su;
  await tx.execute(
    sql`insert into accounts (id, email, name) values (${accountId}, ${c!.email}, ${c!.display_name})`,
  );
  await tx.execute(
    sql`insert into org_memberships (org_id, account_id) values (${tenant.org.id}, ${accountId})`,
  );
  await tx.execute(sql`
    insert into site_users (id, org_id, site_id, user_key, kind, account_id)
    values (${n}, ${tenant.org.id}, ${tenant.site.id}, ${newUserKey()}, 'account', ${accountId})`);
  await tx.execute(sql`update requests set reporter_id = ${n} where reporter_id = ${o}`);
  await tx.execute(sql`update requests set raised_by_id = ${n} where raised_by_id = ${o}`);
  await tx.execute(sql`update requests set assignee_id = ${n} where assignee_id = ${o}`);
  await tx.execute(sql`update request_comments set author_id = ${n} where author_id = ${o}`);
  await tx.execute(sql`
    insert into request_participants (org_id, request_id, site_user_id, created_at)
    select org_id, request_id, ${n}, created_at from request_participants where site_user_id = ${o}`);
  await tx.execute(sql`delete from request_participants where site_user_id = ${o}`);
  await tx.execute(sql`
    insert into request_approvers (org_id, approval_id, site_user_id, decision)
    select org_id, approval_id, ${n}, decision from request_approvers where site_user_id = ${o}`);
  await tx.execute(sql`delete from request_approvers where site_user_id = ${o}`);
  await tx.execute(sql`
    insert into customer_organization_members (org_id, customer_organization_id, site_user_id, created_at)
    select org_id, customer_organization_id, ${n}, created_at from customer_organization_members where site_user_id = ${o}`);
  await tx.execute(sql`delete from customer_organization_members where site_user_id = ${o}`);
  await tx.execute(sql`
    insert into service_desk_customers (org_id, service_desk_id, site_user_id, created_at)
    select org_id, service_desk_id, ${n}, created_at from service_desk_customers where site_user_id = ${o}`);
  await tx.execute(sql`delete from service_desk_customers where site_user_id = ${o}`);
  await tx.execute(sql`update site_users set status = 'retired' where id = ${o}`);
  await tx.execute(sql`
    update portal_customers set status = 'migrated', migrated_to_account_id = ${accountId}, migrated_at = now()
    where id = ${customerId}`);
  await tx.execute(sql`delete from sessions where customer_id = ${customerId}`);
  await tx.execute(sql`
    insert into group_members (org_id, group_id, account_id) values (${tenant.org.id}, ${groupId}, ${accountId})`);
  await tx.execute(sql`
    insert into customer_migrations (customer_id, org_id, site_id, account_id, email, old_user_key, new_user_key, outcome, counts, migrated_by)
    values (${customerId}, ${tenant.org.id}, ${tenant.site.id}, ${accountId}, ${c!.email}, ${c!.user_key}, 'k', 'created', '{}'::jsonb, 'bench')`);
  await tx.execute(sql`
    insert into audit_events (org_id, seq, action, actor_type, target_type, target_id, prev_hash, hash)
    values (null, (select coalesce(max(seq), 0) + 1 from audit_events where org_id is null), 'bench.bound', 'system', 'customer', ${customerId}, '', '')`);
}

/**
 * The set-based bare-SQL bound of migrating a batch of customers in one transaction: the same writes as the app's
 * batch (accounts, memberships, site users, every re-pointed reference, retire, customer state, sessions, group
 * members, mapping rows, set-password tokens and messages, audit rows), one plain statement per table over the
 * batch, no checks, no locks, no task or job.
 */
async function bareMigrateBatch(tx: Executor, tenant: Tenant, customerIds: string[], groupId: string) {
  const found = rows<{ id: string; email: string; display_name: string; su: string; user_key: string }>(
    await tx.execute(sql`
      select c.id, c.email, c.display_name, u.id as su, u.user_key
      from portal_customers c join site_users u on u.customer_id = c.id
      where c.id in (${sql.join(
        customerIds.map((id) => sql`${id}`),
        sql`, `,
      )})`),
  );
  const batch = found.map((c) => ({
    customer: c.id,
    o: c.su,
    n: newId(),
    account: newAccountId(),
    email: c.email,
    name: c.display_name,
    key: newUserKey(),
    old_key: c.user_key,
    token: newId(),
    message: newId(),
  }));
  const b = sql`jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as b(customer text, o text, n text, account text,
    email text, name text, key text, old_key text, token text, message text)`;
  // The old site users as an array too, so each table is reached through its person index.
  const olds = sql`array[${sql.join(
    batch.map((c) => sql`${c.o}`),
    sql`, `,
  )}]::text[]`;
  const org = tenant.org.id;
  const site = tenant.site.id;
  await tx.execute(sql`insert into accounts (id, email, name) select account, email, name from ${b}`);
  await tx.execute(sql`insert into org_memberships (org_id, account_id) select ${org}, account from ${b}`);
  await tx.execute(sql`
    insert into site_users (id, org_id, site_id, user_key, kind, account_id)
    select n, ${org}, ${site}, key, 'account', account from ${b}`);
  for (const column of ['reporter_id', 'raised_by_id', 'assignee_id'])
    await tx.execute(
      sql`update requests r set ${sql.raw(column)} = b.n from ${b}
        where r.${sql.raw(column)} = b.o and r.${sql.raw(column)} = any(${olds})`,
    );
  await tx.execute(
    sql`update request_comments x set author_id = b.n from ${b} where x.author_id = b.o and x.author_id = any(${olds})`,
  );
  for (const [table, key, extra] of [
    ['request_participants', 'request_id', 'created_at'],
    ['request_approvers', 'approval_id', 'decision'],
    ['customer_organization_members', 'customer_organization_id', 'created_at'],
    ['service_desk_customers', 'service_desk_id', 'created_at'],
  ] as const) {
    await tx.execute(sql`
      insert into ${sql.raw(table)} (org_id, ${sql.raw(key)}, site_user_id, ${sql.raw(extra)})
      select x.org_id, x.${sql.raw(key)}, b.n, x.${sql.raw(extra)} from ${sql.raw(table)} x join ${b} on x.site_user_id = b.o
      where x.site_user_id = any(${olds})`);
    await tx.execute(sql`delete from ${sql.raw(table)} x where x.site_user_id = any(${olds})`);
  }
  await tx.execute(
    sql`update site_users u set status = 'retired', replaced_by = b.n from ${b} where u.id = b.o and u.id = any(${olds})`,
  );
  await tx.execute(sql`
    update portal_customers c set status = 'migrated', migrated_to_account_id = b.account, migrated_at = now()
    from ${b} where c.id = b.customer`);
  await tx.execute(sql`delete from sessions where customer_id in (select customer from ${b})`);
  await tx.execute(sql`
    insert into group_members (org_id, group_id, account_id) select ${org}, ${groupId}, account from ${b}`);
  await tx.execute(sql`
    insert into customer_migrations (customer_id, org_id, site_id, account_id, email, old_user_key, new_user_key,
      outcome, counts, migrated_by)
    select customer, ${org}, ${site}, account, email, old_key, key, 'created', '{}'::jsonb, 'bench' from ${b}`);
  await tx.execute(sql`
    insert into auth_tokens (id, token_hash, purpose, account_id, org_id, site_id, email, expires_at)
    select token, token, 'set_password', account, ${org}, ${site}, email, now() + interval '7 days' from ${b}`);
  await tx.execute(sql`
    insert into mail_outbox (id, org_id, kind, "to", subject, text)
    select message, ${org}, 'migration.set_password', email, 'Your account is ready', 'Hello' from ${b}`);
  await tx.execute(sql`
    insert into audit_events (org_id, seq, action, actor_type, target_type, target_id, prev_hash, hash)
    select null, (select coalesce(max(seq), 0) from audit_events where org_id is null) + row_number() over (),
      'bench.bound', 'system', 'customer', customer, '', ''
    from ${b}`);
}

async function waitForTask(db: Executor, taskId: string): Promise<string> {
  for (;;) {
    const [row] = rows<{ status: string }>(
      await db.execute(sql`select status from migration_tasks where id = ${taskId}`),
    );
    if (row && !['queued', 'running'].includes(row.status)) return row.status;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Migrates the customers through the API (a call per 1,000, the API's limit) and waits until every task ends. */
async function apiMigrate(
  app: ReturnType<typeof createApp>,
  services: AppServices,
  tenant: Tenant,
  customerIds: string[],
): Promise<number> {
  const started = performance.now();
  const taskIds: string[] = [];
  for (let i = 0; i < customerIds.length; i += 1000) {
    const response = await app.request(`/admin/v1/orgs/${tenant.org.id}/sites/${tenant.site.id}/migrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customerIds: customerIds.slice(i, i + 1000) }),
    });
    if (response.status !== 202)
      throw new Error(`start answered ${response.status}: ${await response.text()}`);
    taskIds.push(((await response.json()) as { taskId: string }).taskId);
  }
  const statuses = await Promise.all(taskIds.map((taskId) => waitForTask(services.db, taskId)));
  const elapsed = performance.now() - started;
  if (statuses.some((status) => status !== 'succeeded'))
    throw new Error(`tasks ended ${statuses.join(', ')}`);
  return elapsed;
}

async function customerGroupId(db: Executor, tenant: Tenant): Promise<string> {
  const [row] = rows<{ id: string }>(
    await db.execute(
      sql`select id from groups where org_id = ${tenant.org.id} and role = 'customer' limit 1`,
    ),
  );
  return row!.id;
}

export default async function migrationBench(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-migration-'));
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (process.env.DATABASE_URL) {
    const name = `gatehouse_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const cleanup = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    };
  }
  const config = parseConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'false',
    ARGON2_MEMORY_KIB: '1024',
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef012345',
  });
  let runtime: Runtime | undefined;
  const loadBefore = loadavg()[0]!;
  try {
    runtime = await boot(config, { startWorkers: true });
    const { services } = runtime;
    const app = createApp(services);
    const tenant = await buildMigrationTenant(services);
    const groupId = await customerGroupId(services.db, tenant);
    const history = {
      requests: 1000,
      commentsPerRequest: 3,
      participantsPerRequest: 2 as const,
      approvals: true,
    };

    // 0. The fixed cost: a customer with one request, API → succeeded.
    const fixed: number[] = [];
    for (let round = 0; round < FIXED_ROUNDS + 1; round++) {
      const { customer } = await buildCustomerWithHistory(services, tenant, { requests: 1 });
      const ms = await apiMigrate(app, services, tenant, [customer.id]);
      if (round > 0) fixed.push(ms);
    }
    const fixedCost = stats(fixed);

    // 1. One customer with 1,000 requests: API → succeeded vs the bare-SQL bound, interleaved.
    const api: number[] = [];
    const bound: number[] = [];
    for (let round = 0; round < ROUNDS + 1; round++) {
      const a = await buildCustomerWithHistory(services, tenant, history);
      const b = await buildCustomerWithHistory(services, tenant, history);
      const apiMs = await apiMigrate(app, services, tenant, [a.customer.id]);
      const t = performance.now();
      await services.db.transaction((tx) => bareMigrate(tx, tenant, b.customer.id, groupId));
      const boundMs = performance.now() - t;
      if (round === 0) continue; // warm-up
      api.push(apiMs);
      bound.push(boundMs);
    }
    const single = { api: stats(api), bound: stats(bound) };
    const singleRatio = Math.round((single.api.p50Ms / single.bound.p50Ms) * 100) / 100;

    // 2. Bulk: BULK customers × 10 requests, one task, vs bare SQL in batches of 50 per transaction.
    const bulkTenant = await buildMigrationTenant(services);
    const bulkGroup = await customerGroupId(services.db, bulkTenant);
    const build = (count: number) =>
      buildBulkCustomers(services, {
        orgId: bulkTenant.org.id,
        siteId: bulkTenant.site.id,
        count,
        requestsEach: 10,
        agentSiteUserId: bulkTenant.agentSiteUserId,
        desk: bulkTenant.desk,
      });
    const apiIds = await build(BULK);
    const boundIds = await build(BULK);
    const bulkApiMs = await apiMigrate(app, services, bulkTenant, apiIds);
    const t = performance.now();
    for (let i = 0; i < boundIds.length; i += 50)
      await services.db.transaction((tx) =>
        bareMigrateBatch(tx, bulkTenant, boundIds.slice(i, i + 50), bulkGroup),
      );
    const bulkBoundMs = performance.now() - t;
    const bulk = {
      customers: BULK,
      requestsEach: 10,
      apiMs: Math.round(bulkApiMs),
      boundMs: Math.round(bulkBoundMs),
      ratio: Math.round((bulkApiMs / bulkBoundMs) * 100) / 100,
      perCustomerMs: Math.round((bulkApiMs / BULK) * 10) / 10,
    };

    const driver = databaseUrl ? 'postgres' : 'pglite';
    const goals: BenchGoal[] = [
      { label: `fixed cost, API → done, p50 ms (${driver})`, value: fixedCost.p50Ms, goal: 20, atMost: true },
      {
        label: `one 1,000-request customer ÷ bare SQL (${driver})`,
        value: singleRatio,
        goal: 2,
        atMost: true,
      },
      {
        label: `bulk ${BULK} × 10 ÷ set-based bare SQL (${driver})`,
        value: bulk.ratio,
        goal: 2,
        atMost: true,
      },
    ];
    if (BULK === 1000)
      goals.push({
        label: `bulk 1,000 × 10, seconds (${driver})`,
        value: bulk.apiMs / 1000,
        goal: driver === 'postgres' ? 3 : 4,
        atMost: true,
      });
    if (BULK === 10000 && driver === 'postgres')
      goals.push({
        label: 'bulk 10,000 × 10, seconds (postgres)',
        value: bulk.apiMs / 1000,
        goal: 30,
        atMost: true,
      });
    return {
      name: `migration-${driver}`,
      summary: [
        `driver ${driver} (load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
        `fixed cost, one customer with one request: API → succeeded p50 ${fixedCost.p50Ms} ms, p95 ${fixedCost.p95Ms} ms, min ${fixedCost.minMs} ms (target ≤ 20 ms)`,
        `one customer, 1,000 requests (3 comments, 2 participants, 1 approval each): API → succeeded p50 ${single.api.p50Ms} ms, p95 ${single.api.p95Ms} ms; bare-SQL bound p50 ${single.bound.p50Ms} ms, p95 ${single.bound.p95Ms} ms; ratio (p50) ${singleRatio}× (target ≤ 1 s and ≤ 2×)`,
        `${BULK} customers × 10 requests, ${Math.ceil(BULK / 1000)} task(s): ${(bulk.apiMs / 1000).toFixed(1)} s (${bulk.perCustomerMs} ms/customer); set-based bare SQL, 50 customers a transaction: ${(bulk.boundMs / 1000).toFixed(1)} s; ratio ${bulk.ratio}× (target ≤ 2×${BULK === 1000 ? `, and ≤ ${driver === 'postgres' ? 3 : 4} s on a quiet machine` : ''}${BULK === 10000 && driver === 'postgres' ? '; stretch ≤ 30 s' : ''})`,
      ],
      goals,
      data: {
        rounds: ROUNDS,
        fixedCost,
        single: { ...single, ratioP50: singleRatio },
        bulk,
        // Other processes share the machine: the 1-minute load average before and after, against the core count.
        machine: { cores: cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadavg()[0] },
      },
    };
  } finally {
    await runtime?.close(2000);
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
