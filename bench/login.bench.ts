/**
 * Password logins per second through the real HTTP server (POST /rest/auth/1/login: one statement before argon2id,
 * one after) against bare argon2id verifications per second, in alternating rounds of the same run, with the
 * production cost (m=19 MiB, t=2, p=1). The server, the load generator (autocannon, 8 connections, round-robin over
 * 20 accounts of one organization) and the bare verifier are separate processes; on PostgreSQL, Better Auth's own
 * bench runs in each round too (when installed, see `better-auth.ts`). Each round also reports where the CPU of its
 * logins went (`cpu-split.ts`): argon2's pool, the server's main thread and PostgreSQL, per login.
 */

import { availableParallelism } from 'node:os';
import { type BetterAuthRound, runBetterAuth } from './better-auth.ts';
import { type CpuSplit, startCpuSplit } from './cpu-split.ts';
import { argon2Rate, type LoadResult, median, round3, runLoad, startBenchServer } from './harness.ts';
import type { BenchResult } from './run.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 8;
const cores = availableParallelism();

export default async function loginBench(): Promise<BenchResult> {
  const postgresUrl = process.env.DATABASE_URL;
  const driver = postgresUrl ? 'postgres' : 'pglite';
  const server = await startBenchServer<{ emails: string[]; password: string }>('login', postgresUrl);
  try {
    const { emails, password } = server.info;
    const url = server.url('/rest/auth/1/login');
    const bodies = emails.map((email) => JSON.stringify({ email, password }));
    for (const body of bodies.slice(0, 5)) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (response.status !== 200)
        throw new Error(`warm-up login answered ${response.status}: ${await response.text()}`);
    }
    const rounds: Array<{
      argon2: Awaited<ReturnType<typeof argon2Rate>>;
      logins: LoadResult;
      /** CPU per login during the logins load (Linux). */
      cpu?: CpuSplit;
      ratio: number;
      betterAuth?: BetterAuthRound;
      vsBetterAuth?: number;
    }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const argon2 = await argon2Rate(SECONDS);
      const endCpuSplit = startCpuSplit(server.info.pid);
      const logins = await runLoad({
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        bodies,
        connections: CONNECTIONS,
        seconds: SECONDS,
      });
      const cpu = endCpuSplit?.(logins.ok);
      const peer: BetterAuthRound | undefined = postgresUrl
        ? await runBetterAuth(postgresUrl, SECONDS)
        : undefined;
      rounds.push({
        argon2,
        logins,
        cpu,
        ratio: round3(logins.perSecond / argon2.perSecond),
        betterAuth: peer,
        vsBetterAuth: peer ? round3(logins.perSecond / peer.loginsPerSec) : undefined,
      });
    }
    const ratio = median(rounds.map((r) => r.ratio));
    const failures = rounds.reduce((sum, r) => sum + r.logins.non2xx + r.logins.errors, 0);
    const peerRounds = rounds.filter((r) => r.betterAuth);
    const vsPeer = peerRounds.length ? median(peerRounds.map((r) => r.vsBetterAuth!)) : undefined;
    const line = (r: (typeof rounds)[number], i: number) =>
      `round ${i + 1}: argon2 ${r.argon2.perSecond}/s (load ${r.argon2.load}), logins ${r.logins.perSecond}/s p50 ${r.logins.p50Ms} ms (load ${r.logins.load}), ratio ${r.ratio}` +
      (r.cpu
        ? `; CPU per login: argon2 pool ${r.cpu.poolMs} ms (a bare verify: ${round3((cores * 1000) / r.argon2.perSecond)} ms), main thread ${r.cpu.mainMs} ms${driver === 'postgres' ? `, PostgreSQL ${r.cpu.postgresMs} ms` : ' (PGlite runs in it)'}, machine ${Math.round(r.cpu.busy * 100)}% busy`
        : '') +
      (r.betterAuth
        ? `; Better Auth ${r.betterAuth.loginsPerSec}/s (its argon2 ${r.betterAuth.argon2VerifyPerSec}/s, ratio ${r.betterAuth.ratio}, load ${r.betterAuth.load}), Gatehouse ÷ Better Auth ${r.vsBetterAuth}`
        : '');
    return {
      name: `login-${driver}`,
      summary: [
        `driver ${driver}, ${ROUNDS} rounds of ${SECONDS} s, autocannon ${CONNECTIONS} connections, argon2id m=19456 KiB t=2 p=1${failures ? `, FAILURES ${failures}` : ''}`,
        ...rounds.map(line),
      ],
      goals: [
        { label: `logins ÷ bare argon2 verifies (${driver})`, value: ratio, goal: 0.85 },
        ...(vsPeer !== undefined
          ? [{ label: 'logins ÷ Better Auth logins (postgres)', value: vsPeer, goal: 1, strict: true }]
          : []),
      ],
      data: { seconds: SECONDS, connections: CONNECTIONS, rounds, ratio, vsBetterAuth: vsPeer, failures },
    };
  } finally {
    await server.stop();
  }
}
