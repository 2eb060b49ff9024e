/**
 * More processes on one PostgreSQL (issue 13): Gatehouse's own processes (`gatehouse serve` with ROLE=web or
 * ROLE=worker, the compiled build), not the bench's.
 *
 * 1. Reads/s: "list my requests" (portal session, 25 requests) from the load generator (autocannon, its own
 *    process, 8 connections in all) against 1 and then 2 web processes.
 * 2. Bulk: a task of BENCH_SCALE_BULK customers × 10 requests (default 1,000) started through the web process,
 *    timed to `succeeded`, with 1 and with 2 worker processes; then with 2 workers of which one is SIGKILLed
 *    2 s into the task (the other finishes; afterwards every item is checked).
 *
 * PostgreSQL only: PGlite's data folder belongs to one process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { boot } from '#src/app/boot.ts';
import { parseConfig } from '#src/config/env.ts';
import {
  buildBulkCustomers,
  buildCustomerWithHistory,
  buildMigrationTenant,
} from '#src/test/factories/migration.ts';
import { customerCookie } from '#src/test/factories/servicedesk.ts';
import { freePort } from '#src/test/helpers/free-port.ts';
import { findInvariantViolations } from '#src/test/helpers/invariants.ts';
import { runLoad, scratchPostgres, THREADPOOL } from './harness.ts';
import type { BenchResult } from './run.ts';

const BULK = Number(process.env.BENCH_SCALE_BULK ?? 1000);
const READ_SECONDS = Number(process.env.BENCH_SCALE_READ_S ?? 10);
const SESSION_SECRET = 'bench-session-secret-0123456789abcdef012345';
const ROOT = join(import.meta.dirname, '..');

interface Proc {
  child: ChildProcess;
  port?: number;
  stop(): Promise<void>;
}

/** Starts `gatehouse serve` in a role and waits for its banner (the workers start right after it). */
async function startProcess(role: 'web' | 'worker', databaseUrl: string, dataDir: string): Promise<Proc> {
  const port = role === 'web' ? await freePort() : undefined;
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'gatehouse.js'), 'serve'], {
    env: {
      ...process.env,
      ROLE: role,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      PORT: String(port ?? 0),
      HOST: '127.0.0.1',
      BASE_URL: `http://127.0.0.1:${port ?? 0}`,
      SESSION_SECRET,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      ARGON2_MEMORY_KIB: '1024',
      UV_THREADPOOL_SIZE: THREADPOOL,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Gatehouse is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`gatehouse serve (${role}) exited with ${code}: ${out}`)));
  });
  return {
    child,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export default async function scaleBench(): Promise<BenchResult> {
  if (!process.env.DATABASE_URL)
    return {
      name: 'scale-pglite',
      summary: ['PostgreSQL only: PGlite is one process'],
      data: { skipped: true },
    };
  const loadBefore = loadavg()[0]!;
  const scratch = await scratchPostgres(process.env.DATABASE_URL, 'gatehouse_bench_scale');
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-scale-'));
  const procs: Proc[] = [];
  try {
    // The data, written in this process (schema, pg-boss and fixtures), then the processes under test.
    const runtime = await boot(
      parseConfig({
        DATA_DIR: dataDir,
        DATABASE_URL: scratch.url,
        LOG_LEVEL: 'silent',
        SEED_DEMO: 'false',
        SESSION_SECRET,
        ARGON2_MEMORY_KIB: '1024',
      }),
      { startWorkers: false },
    );
    const { services } = runtime;
    const tenant = await buildMigrationTenant(services);
    // The reader: a portal-only customer with 25 requests of its own, listing them with its session.
    const { customer: reader } = await buildCustomerWithHistory(services, tenant, {
      requests: 25,
      commentsPerRequest: 1,
      participantsPerRequest: 1,
      approvals: false,
    });
    const cookie = await customerCookie(services, reader);
    const bulkSets: string[][] = [];
    for (let i = 0; i < 3; i++) {
      bulkSets.push(
        await buildBulkCustomers(services, {
          orgId: tenant.org.id,
          siteId: tenant.site.id,
          count: BULK,
          requestsEach: 10,
          agentSiteUserId: tenant.agentSiteUserId,
          desk: tenant.desk,
        }),
      );
    }
    await runtime.close();

    const web = [await startProcess('web', scratch.url!, dataDir)];
    procs.push(...web);
    const readPath = `/sites/${tenant.site.name}/rest/servicedeskapi/request?limit=25`;

    // 1. Reads/s with 1 and 2 web processes (8 connections in all).
    const readsWith = async (count: number) => {
      const results = await Promise.all(
        web.slice(0, count).map((proc) =>
          runLoad({
            url: `http://127.0.0.1:${proc.port}${readPath}`,
            method: 'GET',
            headers: cookie,
            connections: 8 / count,
            seconds: READ_SECONDS,
          }),
        ),
      );
      return {
        perSecond: Math.round(results.reduce((sum, r) => sum + r.perSecond, 0)),
        errors: results.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
        p99Ms: Math.max(...results.map((r) => r.p99Ms)),
        load: loadavg()[0]!,
      };
    };
    const reads1 = await readsWith(1);
    web.push(await startProcess('web', scratch.url!, dataDir));
    procs.push(web[1]!);
    const reads2 = await readsWith(2);
    await web[1]!.stop();

    // 2. Bulk with 1 worker, 2 workers, and 2 workers of which one is killed.
    const migrate = async (customerIds: string[], killAfterMs?: number, victim?: Proc) => {
      const started = performance.now();
      const response = await fetch(
        `http://127.0.0.1:${web[0]!.port}/admin/v1/orgs/${tenant.org.id}/sites/${tenant.site.id}/migrations`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ customerIds }),
        },
      );
      if (response.status !== 202)
        throw new Error(`start answered ${response.status}: ${await response.text()}`);
      const { taskId } = (await response.json()) as { taskId: string };
      if (killAfterMs !== undefined && victim)
        setTimeout(() => victim.child.kill('SIGKILL'), killAfterMs).unref();
      const check = await boot(
        parseConfig({
          DATA_DIR: dataDir,
          DATABASE_URL: scratch.url,
          LOG_LEVEL: 'silent',
          SEED_DEMO: 'false',
        }),
        { startWorkers: false },
      );
      try {
        for (;;) {
          const result = await check.services.db.execute(
            sql`select status, (select count(*) from migration_task_items i where i.task_id = t.id and i.status = 'succeeded') as ok
                from migration_tasks t where t.id = ${taskId}`,
          );
          const row = (result as unknown as { rows: Array<{ status: string; ok: string }> }).rows[0]!;
          if (row.status === 'succeeded') {
            const ms = Math.round(performance.now() - started);
            const violations = await findInvariantViolations(check.services.db, tenant.org.id);
            // Worker processes that joined the task (a share job that ran it, not one passed on).
            const joins = await check.services.db.execute(
              sql`select count(*) as n from pgboss.job where name = 'migration.share-task'
                  and data->>'taskId' = ${taskId} and state = 'completed' and output->>'status' = 'success'`,
            );
            const joined = Number((joins as unknown as { rows: Array<{ n: string }> }).rows[0]!.n);
            return { ms, migrated: Number(row.ok), violations: violations.length, joined };
          }
          if (row.status !== 'queued' && row.status !== 'running')
            throw new Error(`task ended ${row.status}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await check.close();
      }
    };
    const worker1 = await startProcess('worker', scratch.url!, dataDir);
    procs.push(worker1);
    const bulk1 = await migrate(bulkSets[0]!);
    const worker2 = await startProcess('worker', scratch.url!, dataDir);
    procs.push(worker2);
    const bulk2 = await migrate(bulkSets[1]!);
    const bulkKilled = await migrate(bulkSets[2]!, 2000, worker2);

    const data = {
      cores: cpus().length,
      loadAverageStart: loadBefore,
      bulkCustomers: BULK,
      reads: { oneWeb: reads1, twoWeb: reads2 },
      bulk: { oneWorker: bulk1, twoWorkers: bulk2, twoWorkersOneKilled: bulkKilled },
    };
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    return {
      name: 'scale-postgres',
      summary: [
        `one PostgreSQL, ${cpus().length} cores shared by every process (load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)})`,
        `list my requests (8 connections): 1 web process ${reads1.perSecond}/s (p99 ${reads1.p99Ms} ms), 2 web processes ${reads2.perSecond}/s (p99 ${reads2.p99Ms} ms), errors ${reads1.errors + reads2.errors}`,
        `bulk ${BULK} customers × 10 requests: 1 worker ${s(bulk1.ms)}, 2 workers ${s(bulk2.ms)} (processes that joined the first runner: ${bulk2.joined}), 2 workers with one SIGKILLed at 2 s ${s(bulkKilled.ms)} (joined: ${bulkKilled.joined}; ${bulkKilled.migrated}/${BULK} migrated, ${bulkKilled.violations} invariant violations)`,
      ],
      data,
    };
  } finally {
    for (const proc of procs) await proc.stop().catch(() => {});
    await scratch.drop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}
