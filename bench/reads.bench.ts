/**
 * Reads per second through the whole app over HTTP against a bare Hono handler running the same SQL, in alternating
 * rounds of the same run: "list my requests" (JSM `GET …/request?requestOwnership=OWNED_REQUESTS&limit=50`, a
 * portal-only customer's session cookie: session, viewer, visibility rule, people, presenters), one request
 * (`GET …/request/<id>`, same cookie), and the Admin API users list (`GET /admin/v1/orgs/<id>/users?limit=50`, org
 * API key). Data: the demo seed (the showcase customer has 1,000 requests). The server (app and bare Hono in one
 * process, on the same database connections) and the load generator (autocannon, 8 connections) are separate
 * processes. Each round also loads bare Hono with its caller looked up as the app does (`?caller=1`: the session
 * or API-key statement, which no handler can skip), then also scoped to the tenant (`&tenant=1`: row-level
 * security's `set_config` before each statement): what is left between that and the app is the app's own cost.
 */
import { type LoadResult, median, round3, runLoad, startBenchServer } from './harness.ts';
import type { BenchResult } from './run.ts';

const SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 8;
const GOAL = 0.8;

interface ReadsInfo {
  seedSeconds: number;
  cookie: string;
  apiKey: string;
  list: string;
  detail: string;
  users: string;
}

export default async function readsBench(): Promise<BenchResult> {
  const postgresUrl = process.env.DATABASE_URL;
  const driver = postgresUrl ? 'postgres' : 'pglite';
  const server = await startBenchServer<ReadsInfo>('reads', postgresUrl);
  try {
    const { info } = server;
    const reads: Array<{ name: string; app: string; bare: string; headers: Record<string, string> }> = [
      { name: 'request list', app: info.list, bare: '/list', headers: { cookie: info.cookie } },
      { name: 'request detail', app: info.detail, bare: '/detail', headers: { cookie: info.cookie } },
      {
        name: 'admin users list',
        app: info.users,
        bare: '/users',
        headers: { authorization: `Bearer ${info.apiKey}` },
      },
    ];
    const results = [];
    for (const read of reads) {
      for (const [url, headers] of [
        [server.url(read.app), read.headers],
        [server.url(read.bare, true), {}],
        [server.url(`${read.bare}?caller=1&tenant=1`, true), read.headers],
      ] as const) {
        const response = await fetch(url, { headers });
        if (response.status !== 200) throw new Error(`${read.name}: ${url} answered ${response.status}`);
      }
      const rounds: Array<{
        bare: LoadResult;
        bareWithCaller: LoadResult;
        bareScoped: LoadResult;
        app: LoadResult;
        ratio: number;
        callerRatio: number;
        scopedRatio: number;
      }> = [];
      for (let round = 0; round < ROUNDS; round++) {
        const spec = { method: 'GET' as const, connections: CONNECTIONS, seconds: SECONDS };
        const bare = await runLoad({ ...spec, url: server.url(read.bare, true), headers: {} });
        const bareWithCaller = await runLoad({
          ...spec,
          url: server.url(`${read.bare}?caller=1`, true),
          headers: read.headers,
        });
        const bareScoped = await runLoad({
          ...spec,
          url: server.url(`${read.bare}?caller=1&tenant=1`, true),
          headers: read.headers,
        });
        const app = await runLoad({ ...spec, url: server.url(read.app), headers: read.headers });
        rounds.push({
          bare,
          bareWithCaller,
          bareScoped,
          app,
          ratio: round3(app.perSecond / bare.perSecond),
          callerRatio: round3(bareWithCaller.perSecond / bare.perSecond),
          scopedRatio: round3(bareScoped.perSecond / bare.perSecond),
        });
      }
      results.push({
        name: read.name,
        rounds,
        ratio: median(rounds.map((r) => r.ratio)),
        callerRatio: median(rounds.map((r) => r.callerRatio)),
        scopedRatio: median(rounds.map((r) => r.scopedRatio)),
      });
    }
    const failures = results
      .flatMap((r) => r.rounds)
      .flatMap((r) => [r.app, r.bare, r.bareWithCaller, r.bareScoped])
      .reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    return {
      name: `reads-${driver}`,
      summary: [
        `driver ${driver}, ${ROUNDS} alternating rounds of ${SECONDS} s per side, autocannon ${CONNECTIONS} connections, demo seed ${info.seedSeconds} s${failures ? `, FAILURES ${failures}` : ''}`,
        ...results.flatMap((r) =>
          r.rounds.map(
            (x, i) =>
              `${r.name} round ${i + 1}: bare ${x.bare.perSecond}/s (load ${x.bare.load}), bare + caller lookup ${x.bareWithCaller.perSecond}/s (${x.callerRatio}), + tenant scope ${x.bareScoped.perSecond}/s (${x.scopedRatio}), app ${x.app.perSecond}/s p50 ${x.app.p50Ms} ms (load ${x.app.load}), ratio ${x.ratio}`,
          ),
        ),
        ...results.map(
          (r) =>
            `${r.name}: bare Hono with the caller's lookup runs at ${r.callerRatio} of itself, scoped to the tenant (row-level security) at ${r.scopedRatio}; the whole app at ${r.ratio}`,
        ),
      ],
      goals: results.map((r) => ({ label: `${r.name} ÷ bare Hono (${driver})`, value: r.ratio, goal: GOAL })),
      data: {
        seconds: SECONDS,
        connections: CONNECTIONS,
        seedSeconds: info.seedSeconds,
        reads: results,
        failures,
      },
    };
  } finally {
    await server.stop();
  }
}
