/**
 * Enumeration by timing, for each enumeration-sensitive request (password-reset request, sign-up, a login with a
 * wrong password): a known and an unknown email over TCP, alternating known/unknown requests one at a time (pairs),
 * so both see the same machine state. Reports each side's median and p95 and how often the known email was slower
 * in a pair (≈50% when indistinguishable). The deterministic guarantee (same statements) is
 * `src/domain/accounts/enumeration.db.test.ts`; this measures.
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
import { scratchPostgres } from './harness.ts';
import type { BenchResult } from './run.ts';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 60);

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 100) / 100;
  return { samples: values.length, p50Ms: pct(0.5), p95Ms: pct(0.95) };
}

export default async function enumerationBench(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-enum-'));
  const scratch = await scratchPostgres(process.env.DATABASE_URL, 'gatehouse_bench');
  const config = parseConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: scratch.url,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'false',
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef012345',
  });
  // Workers off: the job's mail work is not what the caller waits for, and would only add noise here.
  const runtime = await boot(config, { startWorkers: false });
  // No limit may answer early on either side: the per-IP limits and the lock after repeated failures are lifted.
  const restoreLimits = setAuthLimits({
    mailPerIp: Number.MAX_SAFE_INTEGER,
    loginPerIp: Number.MAX_SAFE_INTEGER,
    maxFailures: Number.MAX_SAFE_INTEGER,
  });
  const server = serve({ fetch: createApp(runtime.services).fetch, port: 0, hostname: '127.0.0.1' });
  try {
    const { services } = runtime;
    const known = `bench-${Date.now()}@example.test`;
    const passwordHash = await services.passwords.hash('the real owner passphrase');
    await services.db.transaction((tx) =>
      createAccount(tx, services, SYSTEM, {
        email: known,
        name: 'Bench',
        passwordHash,
        emailVerified: true,
      }),
    );
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', resolve)));
    const { port } = server.address() as AddressInfo;
    const post = async (path: string, body: unknown) => {
      const started = performance.now();
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      return performance.now() - started;
    };
    const password = 'a long enough bench passphrase';
    const requests: Array<{ label: string; send: (email: string) => Promise<number> }> = [
      {
        label: 'password-reset request',
        send: (email) => post('/rest/auth/1/password-reset/request', { email }),
      },
      { label: 'sign-up', send: (email) => post('/rest/auth/1/signup', { email, name: 'Bench', password }) },
      { label: 'login, wrong password', send: (email) => post('/rest/auth/1/login', { email, password }) },
    ];
    const driver = config.DATABASE_URL ? 'postgres' : 'pglite';
    const summary: string[] = [`driver ${driver}, ${PAIRS} pairs each, over HTTP`];
    const data: Record<string, unknown> = { pairs: PAIRS };
    for (const { label, send } of requests) {
      for (let i = 0; i < 5; i++) await send(known);
      const knownMs: number[] = [];
      const unknownMs: number[] = [];
      let knownSlower = 0;
      for (let i = 0; i < PAIRS; i++) {
        // Alternate which goes first, so ordering effects cancel out.
        const unknown = `nobody-${i}-${Date.now()}@example.test`;
        let k: number;
        let u: number;
        if (i % 2 === 0) {
          k = await send(known);
          u = await send(unknown);
        } else {
          u = await send(unknown);
          k = await send(known);
        }
        knownMs.push(k);
        unknownMs.push(u);
        if (k > u) knownSlower++;
      }
      const knownStats = stats(knownMs);
      const unknownStats = stats(unknownMs);
      const share = Math.round((knownSlower / PAIRS) * 100);
      summary.push(
        `${label}: known p50 ${knownStats.p50Ms} ms (p95 ${knownStats.p95Ms}), unknown p50 ${unknownStats.p50Ms} ms (p95 ${unknownStats.p95Ms}); known slower in ${share}% of pairs (≈50% = indistinguishable)`,
      );
      data[label] = { known: knownStats, unknown: unknownStats, knownSlowerPercent: share };
    }
    return { name: `enumeration-${driver}`, summary, data };
  } finally {
    restoreLimits();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.close(1000);
    await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
