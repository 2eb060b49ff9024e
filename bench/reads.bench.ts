/**
 * Reads per second through the whole app over HTTP against a bare Hono handler running the same SQL, in alternating
 * rounds of the same run: "list my requests" (JSM `GET …/request?requestOwnership=OWNED_REQUESTS&limit=50`, a
 * portal-only customer's session cookie: session, viewer, visibility rule, people, presenters), one request
 * (`GET …/request/<id>`, same cookie), and the Admin API users list (`GET /admin/v1/orgs/<id>/users?limit=50`, org
 * API key). Data: the demo seed (the showcase customer has 1,000 requests). The server (app and bare Hono in one
 * process, on the same database connections) and the load generator (autocannon, 8 connections) are separate
 * processes.
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
      ] as const) {
        const response = await fetch(url, { headers });
        if (response.status !== 200) throw new Error(`${read.name}: ${url} answered ${response.status}`);
      }
      const rounds: Array<{ bare: LoadResult; app: LoadResult; ratio: number }> = [];
      for (let round = 0; round < ROUNDS; round++) {
        const spec = { method: 'GET' as const, connections: CONNECTIONS, seconds: SECONDS };
        const bare = await runLoad({ ...spec, url: server.url(read.bare, true), headers: {} });
        const app = await runLoad({ ...spec, url: server.url(read.app), headers: read.headers });
        rounds.push({ bare, app, ratio: round3(app.perSecond / bare.perSecond) });
      }
      results.push({ name: read.name, rounds, ratio: median(rounds.map((r) => r.ratio)) });
    }
    const failures = results
      .flatMap((r) => r.rounds)
      .reduce((sum, r) => sum + r.app.non2xx + r.app.errors + r.bare.non2xx + r.bare.errors, 0);
    return {
      name: `reads-${driver}`,
      summary: [
        `driver ${driver}, ${ROUNDS} alternating rounds of ${SECONDS} s per side, autocannon ${CONNECTIONS} connections, demo seed ${info.seedSeconds} s${failures ? `, FAILURES ${failures}` : ''}`,
        ...results.flatMap((r) =>
          r.rounds.map(
            (x, i) =>
              `${r.name} round ${i + 1}: bare ${x.bare.perSecond}/s (load ${x.bare.load}), app ${x.app.perSecond}/s p50 ${x.app.p50Ms} ms (load ${x.app.load}), ratio ${x.ratio}`,
          ),
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
