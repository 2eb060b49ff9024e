/**
 * The cost of row-level security on the request-list read: the list statement of "my requests" (the demo's
 * showcase customer, 1,000 requests, a page of 50) run as the system (sent as is) and in the tenant's scope (the
 * same statement behind `set_config`, in the same message on PostgreSQL; in a short in-process transaction on
 * PGlite), in alternating rounds on one database. Both run as the app role with the policies on; the system's
 * `bypass_rls` short-circuits them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot } from '#src/app/boot.ts';
import { parseConfig } from '#src/config/env.ts';
import { findSiteByName } from '#src/db/queries/directory/sites.queries.ts';
import { listRequestsWithReporter } from '#src/db/queries/servicedesk/requests.queries.ts';
import { listCustomerSiteUsers } from '#src/db/queries/servicedesk/seed.queries.ts';
import { withTenant } from '#src/db/tenant-scope.ts';
import { seedDemo } from '#src/domain/seed/seed-demo.ts';
import { SHOWCASE_EMAIL } from '#src/domain/seed/seed-demo-service-desk.ts';
import { requestListCondition } from '#src/domain/servicedesk/request-visibility.ts';
import { load1, median, scratchPostgres } from './harness.ts';
import type { BenchResult } from './run.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Runs `task` from `concurrency` loops for `seconds`: operations per second and the median latency. */
async function measure(seconds: number, concurrency: number, task: () => Promise<void>) {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await task();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    operations: latencies.length,
    seconds: elapsed,
    perSecond: Math.round((latencies.length / elapsed) * 10) / 10,
    p50Ms: Math.round(median(latencies) * 100) / 100,
  };
}

export default async function rlsBench(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-rls-'));
  const scratch = await scratchPostgres(process.env.DATABASE_URL, 'gatehouse_bench_rls');
  const driver = scratch.url ? 'postgres' : 'pglite';
  const config = parseConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: scratch.url,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'false',
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef012345',
  });
  const runtime = await boot(config, { startWorkers: false });
  try {
    const { services } = runtime;
    await seedDemo(services);
    const site = (await findSiteByName(services.db, 'acme'))!;
    const ada = (await listCustomerSiteUsers(services.db, site.id)).find((c) => c.email === SHOWCASE_EMAIL)!;
    const viewer = {
      role: 'customer' as const,
      isAdmin: false,
      actor: { type: 'system' as const },
      site,
      siteUserId: ada.siteUserId,
    };
    const where = requestListCondition(viewer, ['OWNED_REQUESTS']);
    const read = async () => {
      const rows = await listRequestsWithReporter(services.db, where, { start: 0, limit: 51 });
      if (rows.length !== 51) throw new Error(`expected 51 rows, got ${rows.length}`);
    };
    const asTenant = () => withTenant(site.orgId, read);
    for (let i = 0; i < 20; i++) {
      await read();
      await asTenant();
    }
    const system: Array<Awaited<ReturnType<typeof measure>>> = [];
    const tenant: typeof system = [];
    for (let round = 0; round < ROUNDS; round++) {
      system.push(await measure(SECONDS / ROUNDS / 2, CONCURRENCY, read));
      tenant.push(await measure(SECONDS / ROUNDS / 2, CONCURRENCY, asTenant));
    }
    const total = (rounds: typeof system) => {
      const operations = rounds.reduce((sum, r) => sum + r.operations, 0);
      const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
      return {
        perSecond: Math.round((operations / seconds) * 10) / 10,
        p50Ms: Math.max(...rounds.map((r) => r.p50Ms)),
        rounds: rounds.map((r) => r.perSecond),
      };
    };
    const bySystem = total(system);
    const byTenant = total(tenant);
    const extraMs = Math.round((byTenant.p50Ms - bySystem.p50Ms) * 100) / 100;
    return {
      name: `rls-${driver}`,
      summary: [
        `load average ${load1()} (1 min)`,
        `driver ${driver}, concurrency ${CONCURRENCY}, ${SECONDS} s in ${ROUNDS} alternating rounds, a page of 50 of 1,000 requests`,
        `system scope (as sent without RLS scoping): ${bySystem.perSecond}/s, p50 ${bySystem.p50Ms} ms`,
        `tenant scope (RLS policy applied):          ${byTenant.perSecond}/s, p50 ${byTenant.p50Ms} ms (p50 +${extraMs} ms)`,
      ],
      data: {
        concurrency: CONCURRENCY,
        seconds: SECONDS,
        system: bySystem,
        tenant: byTenant,
        extraP50Ms: extraMs,
      },
    };
  } finally {
    await runtime.close(1000);
    await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
