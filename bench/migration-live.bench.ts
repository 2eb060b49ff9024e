/**
 * Migration under live traffic (issue 12):
 *
 * 1. One customer with 1,000 / 10,000 / 100,000 requests (1 comment and 1 participant each, org and desk
 *    membership): `POST …/migrations` (in-process) until the task is `succeeded`, each while the reads below run. Above MIGRATION_CHUNK_ROWS the
 *    customer moves in chunks, so the time should grow linearly (goal: 100,000 ≤ 10 s on PostgreSQL).
 * 2. An authenticated read, "list my requests" (`GET /sites/<site>/rest/servicedeskapi/request` with a portal
 *    session, 25 requests), sent at a fixed 20/s (open loop: a slow answer does not slow the sender): p50/p99/max
 *    while idle, while the 100,000-request customer migrates, and while a bulk task of 1,000 customers runs.
 *    Goal on both drivers: p99 ≤ 300 ms, max ≤ 1 s.
 *
 * Env: BENCH_LIVE_SIZES (default 1000,10000,100000), BENCH_LIVE_BULK (default 1000), BENCH_LIVE_IDLE_S (default 5),
 * MIGRATION_CHUNK_ROWS (default: the app's).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { boot, type Runtime } from '#src/app/boot.ts';
import { createApp } from '#src/app/create-app.ts';
import { parseConfig } from '#src/config/env.ts';
import type { Executor } from '#src/db/client.ts';
import { migrationChunkRows } from '#src/domain/migration/run-migration-task.ts';
import {
  buildBulkCustomers,
  buildCustomerWithHistory,
  buildMigrationTenant,
} from '#src/test/factories/migration.ts';
import { customerCookie } from '#src/test/factories/servicedesk.ts';
import { scratchPostgres } from './harness.ts';
import type { BenchResult } from './run.ts';

const SIZES = (process.env.BENCH_LIVE_SIZES ?? '1000,10000,100000').split(',').map(Number);
const BULK = Number(process.env.BENCH_LIVE_BULK ?? 1000);
const IDLE_S = Number(process.env.BENCH_LIVE_IDLE_S ?? 5);
const READS_PER_S = 20;

/** A long run says what it is doing (stderr, with the seconds since the bench started). */
const benchStarted = performance.now();
const progress = (what: string) =>
  process.stderr.write(`  [${((performance.now() - benchStarted) / 1000).toFixed(0)} s] ${what}\n`);

type App = ReturnType<typeof createApp>;
type Tenant = Awaited<ReturnType<typeof buildMigrationTenant>>;

async function taskStatus(db: Executor, taskId: string): Promise<string> {
  const result = await db.execute(sql`select status from migration_tasks where id = ${taskId}`);
  return String((result as unknown as { rows: Array<{ status: string }> }).rows[0]?.status);
}

/** Starts a task through the API and resolves with its duration once it is finished. */
async function migrate(app: App, db: Executor, tenant: Tenant, customerIds: string[]): Promise<number> {
  const started = performance.now();
  const response = await app.request(`/admin/v1/orgs/${tenant.org.id}/sites/${tenant.site.id}/migrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerIds }),
  });
  if (response.status !== 202) throw new Error(`start answered ${response.status}: ${await response.text()}`);
  const { taskId } = (await response.json()) as { taskId: string };
  for (;;) {
    const status = await taskStatus(db, taskId);
    if (status === 'succeeded') return performance.now() - started;
    if (status !== 'queued' && status !== 'running') throw new Error(`task ${taskId} ended ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Sends the read at READS_PER_S until `until` settles; returns the latencies (ms) and the errors. Each latency
 * counts from when the read was due, not from when it went out: on PGlite the database runs on this thread, so
 * a statement that holds it also delays the sender, and timing from the late send would hide exactly that wait
 * (coordinated omission). A client in another process would see the same latency.
 */
async function readWhile(read: () => Promise<Response>, until: Promise<unknown>) {
  const latencies: number[] = [];
  let errors = 0;
  let stop = false;
  const inFlight: Promise<void>[] = [];
  until.then(
    () => (stop = true),
    () => (stop = true),
  );
  const first = performance.now();
  for (let i = 0; !stop; i++) {
    const due = first + (i * 1000) / READS_PER_S;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (stop) break;
    inFlight.push(
      read().then(
        async (response) => {
          await response.arrayBuffer();
          if (response.status !== 200) errors++;
          latencies.push(performance.now() - due);
        },
        () => void errors++,
      ),
    );
  }
  await Promise.all(inFlight);
  await until;
  return { latencies, errors };
}

function stats({ latencies, errors }: { latencies: number[]; errors: number }) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!);
  return { n: sorted.length, errors, p50Ms: pct(0.5), p99Ms: pct(0.99), maxMs: Math.round(sorted.at(-1)!) };
}

export default async function migrationLiveBench(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-live-'));
  const scratch = await scratchPostgres(process.env.DATABASE_URL, 'gatehouse_bench_live');
  const config = parseConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: scratch.url,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    MIGRATION_CHUNK_ROWS: process.env.MIGRATION_CHUNK_ROWS,
    MIGRATION_BATCH_CUSTOMERS: process.env.MIGRATION_BATCH_CUSTOMERS,
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
    const history = { commentsPerRequest: 1, participantsPerRequest: 1 as const, approvals: false };

    // The reader: a portal-only customer with 25 requests of its own, listing them with its session.
    const { customer: reader } = await buildCustomerWithHistory(services, tenant, {
      requests: 25,
      ...history,
    });
    const headers = await customerCookie(services, reader);
    const read = () =>
      Promise.resolve(
        app.request(`/sites/${tenant.site.name}/rest/servicedeskapi/request?limit=25`, { headers }),
      );

    // 1. One customer of each size, each while the reader sends its reads (so the sizes compare under the same
    // load; on PGlite the reads take their turns on the one thread); the biggest one's are phase "migrating".
    // Warm-up (not measured): the first reads load the routes' modules and warm the JIT, and a first migration under
    // reads does the same for the migration's code (on PGlite also the wasm's lazily compiled functions: in a fresh
    // process the reads during the first migration took 0.5–0.9 s at p50, during the third 0.05 s).
    for (let i = 0; i < 20; i++) await (await read()).arrayBuffer();
    progress('warming up: one customer with 1,000 requests');
    const warmUp = await buildCustomerWithHistory(services, tenant, { requests: 1000, ...history });
    await readWhile(read, migrate(app, services.db, tenant, [warmUp.customer.id]));
    const bySize: Array<{ requests: number; ms: number }> = [];
    let duringBig = { latencies: [] as number[], errors: 0 };
    for (const size of SIZES) {
      progress(`building a customer with ${size.toLocaleString('en')} requests`);
      const { customer } = await buildCustomerWithHistory(services, tenant, { requests: size, ...history });
      progress('migrating it');
      let ms = 0;
      const reads = await readWhile(
        read,
        migrate(app, services.db, tenant, [customer.id]).then((d) => (ms = d)),
      );
      bySize.push({ requests: size, ms: Math.round(ms) });
      if (size === Math.max(...SIZES)) duringBig = reads;
    }

    // 2. Reads while idle, then while a bulk task of BULK customers runs.
    progress(`reading while idle for ${IDLE_S} s`);
    const idle = await readWhile(read, new Promise((resolve) => setTimeout(resolve, IDLE_S * 1000)));
    progress(`building ${BULK} customers with 10 requests each`);
    const bulkIds = await buildBulkCustomers(services, {
      orgId: tenant.org.id,
      siteId: tenant.site.id,
      count: BULK,
      requestsEach: 10,
      agentSiteUserId: tenant.agentSiteUserId,
      desk: tenant.desk,
    });
    progress('migrating them in one task');
    let bulkMs = 0;
    const duringBulk = await readWhile(
      read,
      migrate(app, services.db, tenant, bulkIds).then((d) => (bulkMs = d)),
    );

    const reads = { idle: stats(idle), whileBigMigrates: stats(duringBig), whileBulkRuns: stats(duringBulk) };
    const driver = scratch.url ? 'postgres' : 'pglite';
    const line = (label: string, s: ReturnType<typeof stats>) =>
      `${label}: p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, max ${s.maxMs} ms (${s.n} reads, ${s.errors} errors)`;
    return {
      name: `migration-live-${driver}`,
      summary: [
        `driver ${driver} (load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores), chunk ${migrationChunkRows(services)} rows`,
        `one customer → succeeded: ${bySize.map((s) => `${s.requests.toLocaleString('en')} requests ${(s.ms / 1000).toFixed(2)} s`).join(', ')} (goal: linear, 100,000 ≤ 10 s on PostgreSQL)`,
        `${BULK} customers × 10 requests: ${(bulkMs / 1000).toFixed(1)} s`,
        `list my requests at ${READS_PER_S}/s (goal p99 ≤ 300 ms, max ≤ 1 s):`,
        line('  idle', reads.idle),
        line(`  while ${Math.max(...SIZES).toLocaleString('en')} requests migrate`, reads.whileBigMigrates),
        line(`  while ${BULK} customers migrate`, reads.whileBulkRuns),
      ],
      data: {
        sizes: bySize,
        bulk: { customers: BULK, requestsEach: 10, ms: Math.round(bulkMs) },
        reads,
        chunkRows: migrationChunkRows(services),
        machine: { cores: cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadavg()[0] },
      },
    };
  } finally {
    await runtime?.close(2000);
    await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
