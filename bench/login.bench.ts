/**
 * Logins per second through the real HTTP server (POST /rest/auth/1/login over TCP: rate-limit and lockout
 * upserts, argon2id verify, session insert, audit event) against bare argon2id verifications per second,
 * both measured in this run with the same concurrency and the production argon2 cost (m=19 MiB, t=2, p=1).
 * Database: PGlite in a temporary folder, or (when DATABASE_URL is set) a scratch PostgreSQL database created
 * next to it and dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { boot } from '#src/app/boot.ts';
import { createApp } from '#src/app/create-app.ts';
import { parseConfig } from '#src/config/env.ts';
import { setAuthLimits } from '#src/domain/accounts/auth-guard.ts';
import { createAccount } from '#src/domain/directory/create-account.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { measure, scratchPostgres } from './harness.ts';
import type { BenchResult } from './run.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const PASSWORD = 'correct horse battery staple';

export default async function loginBench(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-login-'));
  const scratch = await scratchPostgres(process.env.DATABASE_URL, 'gatehouse_bench');
  const config = parseConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: scratch.url,
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef012345',
  });
  const runtime = await boot(config, { startWorkers: false });
  const restoreLimits = setAuthLimits({ loginPerIp: Number.MAX_SAFE_INTEGER });
  const server = serve({ fetch: createApp(runtime.services).fetch, port: 0, hostname: '127.0.0.1' });
  try {
    const { services } = runtime;
    const email = `bench-${Date.now()}@example.test`;
    const passwordHash = await services.passwords.hash(PASSWORD);
    await services.db.transaction((tx) =>
      createAccount(tx, services, SYSTEM, { email, name: 'Bench', passwordHash, emailVerified: true }),
    );
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', resolve)));
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/rest/auth/1/login`;
    const body = JSON.stringify({ email, password: PASSWORD });
    let failures = 0;
    const loginOnce = async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 200) failures++;
    };
    const verifyOnce = async () => {
      if (!(await services.passwords.verify(passwordHash, PASSWORD))) failures++;
    };
    // Warm up both paths (JIT, connection, dummy hash).
    for (let i = 0; i < 5; i++) {
      await loginOnce();
      await verifyOnce();
    }
    const argon2 = await measure(SECONDS, CONCURRENCY, verifyOnce);
    const logins = await measure(SECONDS, CONCURRENCY, loginOnce);
    const ratio = Math.round((logins.perSecond / argon2.perSecond) * 1000) / 1000;
    return {
      name: `login-${config.DATABASE_URL ? 'postgres' : 'pglite'}`,
      summary: [
        `driver ${config.DATABASE_URL ? 'postgres' : 'pglite'}, concurrency ${CONCURRENCY}, ${SECONDS} s per phase, argon2id m=${config.ARGON2_MEMORY_KIB} KiB t=2 p=1`,
        `bare argon2 verify: ${argon2.perSecond}/s (p50 ${argon2.p50Ms} ms, p95 ${argon2.p95Ms} ms)`,
        `HTTP login:         ${logins.perSecond}/s (p50 ${logins.p50Ms} ms, p95 ${logins.p95Ms} ms)`,
        `ratio logins / argon2 verifies: ${ratio}${failures ? ` (FAILURES: ${failures})` : ''}`,
      ],
      data: {
        concurrency: CONCURRENCY,
        secondsPerPhase: SECONDS,
        argon2MemoryKiB: config.ARGON2_MEMORY_KIB,
        argon2Verify: argon2,
        httpLogin: logins,
        ratio,
        failures,
      },
    };
  } finally {
    restoreLimits();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.close(1000);
    await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
