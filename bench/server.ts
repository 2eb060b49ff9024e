/**
 * The server side of an HTTP bench, as its own process (started by `startBenchServer`): Gatehouse as `serve` runs
 * it (boot without workers, the whole app), plus, for reads, a bare Hono server in the same process and on the
 * same database connection(s) running the same SQL without the app around it. Builds the scenario's data, then
 * prints `READY <json>` (ports and what the load needs: emails, cookies, ids) and serves until SIGTERM.
 *
 * Arguments: scenario (`login` | `reads`). Database: DATABASE_URL, else PGlite in BENCH_DATA_DIR.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { boot } from '#src/app/boot.ts';
import { createApp } from '#src/app/create-app.ts';
import { parseConfig } from '#src/config/env.ts';
import { setAuthLimits } from '#src/domain/accounts/auth-guard.ts';
import type { AppServices } from '#src/domain/services.ts';
import { loginFixture } from './fixtures/login.ts';
import { readsFixture } from './fixtures/reads.ts';

export interface Fixture {
  /** What the load generator needs (emails, cookies, paths). */
  info: Record<string, unknown>;
  /** The bare Hono server running the same SQL, if the scenario compares against one. */
  bare?: { fetch: (request: Request) => Response | Promise<Response> };
}

const scenario = process.argv[2] as 'login' | 'reads';
const config = parseConfig({
  DATA_DIR: process.env.BENCH_DATA_DIR,
  DATABASE_URL: process.env.DATABASE_URL,
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
  SEED_DEMO: 'false',
  SESSION_SECRET: 'bench-session-secret-0123456789abcdef012345',
});
const runtime = await boot(config, { startWorkers: false });
// Every login of the bench comes from one address: the per-IP limit would stop it after 30.
setAuthLimits({ loginPerIp: Number.MAX_SAFE_INTEGER });
const fixtures: Record<typeof scenario, (services: AppServices) => Promise<Fixture>> = {
  login: loginFixture,
  reads: readsFixture,
};
const fixture = await fixtures[scenario](runtime.services);

function listen(fetch: (request: Request) => Response | Promise<Response>) {
  return new Promise<ReturnType<typeof serve>>((resolve) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(server));
  });
}
const app = await listen(createApp(runtime.services).fetch);
const bare = fixture.bare ? await listen(fixture.bare.fetch) : undefined;
const port = (server: ReturnType<typeof serve>) => (server.address() as AddressInfo).port;
process.stdout.write(
  `READY ${JSON.stringify({ appPort: port(app), barePort: bare && port(bare), pid: process.pid, ...fixture.info })}\n`,
);

process.on('SIGTERM', async () => {
  app.close();
  bare?.close();
  await runtime.close(1000);
  process.exit(0);
});
