/**
 * "List my requests" (JSM `GET /rest/servicedeskapi/request?requestOwnership=OWNED_REQUESTS&limit=50`) per second,
 * through the whole app over HTTP (session cookie of a portal-only customer, viewer resolution, the visibility
 * rule, people loaded, JSM presenters) against a bare Hono server running the same SQL (the same visibility
 * condition and page query) in the same process and run. Data: the demo seed, whose showcase customer
 * ada.lovelace on `acme` has 1,000 requests. PGlite in a temporary folder, or a scratch PostgreSQL database when
 * DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { boot } from '#src/app/boot.ts';
import { createApp } from '#src/app/create-app.ts';
import { parseConfig } from '#src/config/env.ts';
import { findSiteByName } from '#src/db/queries/directory/sites.queries.ts';
import { listRequestsWithReporter } from '#src/db/queries/servicedesk/requests.queries.ts';
import { listCustomerSiteUsers } from '#src/db/queries/servicedesk/seed.queries.ts';
import { createSession } from '#src/domain/accounts/sessions.ts';
import { seedDemo } from '#src/domain/seed/seed-demo.ts';
import { SHOWCASE_EMAIL } from '#src/domain/seed/seed-demo-service-desk.ts';
import { requestListCondition } from '#src/domain/servicedesk/request-visibility.ts';
import { measure, scratchPostgres } from './harness.ts';
import type { BenchResult } from './run.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const PAGE = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);

type Measured = Awaited<ReturnType<typeof measure>>;

/** Totals of alternating rounds: operations over time; percentiles as the worst round's (conservative). */
function combine(rounds: Measured[]) {
  const operations = rounds.reduce((sum, r) => sum + r.operations, 0);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  return {
    operations,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round((operations / seconds) * 10) / 10,
    p50Ms: Math.max(...rounds.map((r) => r.p50Ms)),
    p95Ms: Math.max(...rounds.map((r) => r.p95Ms)),
    rounds: rounds.map((r) => r.perSecond),
  };
}

function listen(fetchHandler: (request: Request) => Response | Promise<Response>) {
  const server = serve({ fetch: fetchHandler, port: 0, hostname: '127.0.0.1' });
  return {
    server,
    url: async () => {
      await new Promise<void>((resolve) =>
        server.listening ? resolve() : server.once('listening', resolve),
      );
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export default async function requestsBench(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-requests-'));
  const scratch = await scratchPostgres(process.env.DATABASE_URL, 'gatehouse_bench_requests');
  const config = parseConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: scratch.url,
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef012345',
  });
  const runtime = await boot(config, { startWorkers: false });
  const { services } = runtime;
  const seedStarted = performance.now();
  await seedDemo(services);
  const seedSeconds = Math.round((performance.now() - seedStarted) / 10) / 100;
  const site = (await findSiteByName(services.db, 'acme'))!;
  const ada = (await listCustomerSiteUsers(services.db, site.id)).find((c) => c.email === SHOWCASE_EMAIL)!;
  const session = await services.db.transaction((tx) =>
    createSession(tx, services, { kind: 'customer', customerId: ada.customerId, siteId: site.id }),
  );

  // Bare Hono with the same SQL: the list statement the app runs (visibility + ownership, reporters joined in).
  const viewer = {
    role: 'customer' as const,
    isAdmin: false,
    actor: { type: 'system' as const },
    site,
    siteUserId: ada.siteUserId,
  };
  const where = requestListCondition(viewer, ['OWNED_REQUESTS']);
  const bare = new Hono();
  bare.get('/requests', async (c) => {
    const start = Number(c.req.query('start') ?? 0);
    const rows = await listRequestsWithReporter(services.db, where, { start, limit: PAGE + 1 });
    return c.json({
      start,
      limit: PAGE,
      size: Math.min(rows.length, PAGE),
      isLastPage: rows.length <= PAGE,
      values: rows.slice(0, PAGE),
    });
  });

  const app = listen(createApp(services).fetch);
  const bareServer = listen(bare.fetch);
  try {
    const appUrl = `${await app.url()}/sites/acme/rest/servicedeskapi/request?requestOwnership=OWNED_REQUESTS&limit=${PAGE}`;
    const bareUrl = `${await bareServer.url()}/requests`;
    const headers = { cookie: `gh_session=${session.secret}` };
    let failures = 0;
    const viaApp = async () => {
      const response = await fetch(appUrl, { headers });
      const body = (await response.json()) as { size?: number };
      if (response.status !== 200 || body.size !== PAGE) failures++;
    };
    const viaBare = async () => {
      const response = await fetch(bareUrl);
      const body = (await response.json()) as { size?: number };
      if (response.status !== 200 || body.size !== PAGE) failures++;
    };
    for (let i = 0; i < 10; i++) {
      await viaApp();
      await viaBare();
    }
    // Alternate short phases so a load change on a shared machine hits both sides alike.
    const bareRounds = [];
    const appRounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      bareRounds.push(await measure(SECONDS / ROUNDS, CONCURRENCY, viaBare));
      appRounds.push(await measure(SECONDS / ROUNDS, CONCURRENCY, viaApp));
    }
    const bareResult = combine(bareRounds);
    const appResult = combine(appRounds);
    const ratio = Math.round((appResult.perSecond / bareResult.perSecond) * 1000) / 1000;
    return {
      name: `requests-${config.DATABASE_URL ? 'postgres' : 'pglite'}`,
      summary: [
        `driver ${config.DATABASE_URL ? 'postgres' : 'pglite'}, concurrency ${CONCURRENCY}, ${SECONDS} s per side in ${ROUNDS} alternating rounds, ${PAGE} a page, customer with 1,000 requests (demo seed took ${seedSeconds} s)`,
        `bare Hono, same SQL: ${bareResult.perSecond}/s (p50 ${bareResult.p50Ms} ms, p95 ${bareResult.p95Ms} ms)`,
        `Gatehouse JSM API:   ${appResult.perSecond}/s (p50 ${appResult.p50Ms} ms, p95 ${appResult.p95Ms} ms)`,
        `ratio app / bare: ${ratio}${failures ? ` (FAILURES: ${failures})` : ''}`,
      ],
      data: {
        concurrency: CONCURRENCY,
        secondsPerSide: SECONDS,
        rounds: ROUNDS,
        pageSize: PAGE,
        seedSeconds,
        bareHono: bareResult,
        app: appResult,
        ratio,
        failures,
      },
    };
  } finally {
    await app.close();
    await bareServer.close();
    await runtime.close(1000);
    await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
