/** What the benchmarks share: scratch databases, the server and load-generator processes, the timed loop. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { LoadSpec } from './load.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** The 1-minute load average, rounded: printed and stored beside every figure. */
export const load1 = () => Math.round(loadavg()[0]! * 100) / 100;

/** libuv's pool as `bin/gatehouse.js` sizes it: one thread per core. */
export const THREADPOOL = String(Math.max(2, availableParallelism()));

/**
 * A fresh database named `<prefix>_<pid>_<time>` on the server of DATABASE_URL, and its cleanup (no-op on PGlite,
 * when `url` is unset).
 */
export async function scratchPostgres(url: string | undefined, prefix: string) {
  if (!url) return { url: undefined, drop: async () => {} };
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** Runs a TypeScript file of bench/ in a child process (tsx), with extra environment. */
function child(file: string, args: string[], env: Record<string, string | undefined> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(here, file), ...args], {
    env: { ...process.env, UV_THREADPOOL_SIZE: THREADPOOL, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Runs a child to completion and parses the last line it printed as JSON. */
async function childJson<T>(file: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  const proc = child(file, args, env);
  let out = '';
  proc.stdout!.on('data', (chunk) => {
    out += chunk;
  });
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  if (code !== 0) throw new Error(`${file} exited with ${code}: ${out}`);
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

export interface BenchServer<I> {
  info: I & { appPort: number; barePort?: number; pid: number };
  url(path: string, bare?: boolean): string;
  stop(): Promise<void>;
}

/**
 * Starts `bench/server.ts` for a scenario on a scratch database of the driver (PostgreSQL when `postgresUrl` is
 * set, else PGlite in a temporary folder) and waits for its READY line.
 */
export async function startBenchServer<I>(
  scenario: 'login' | 'reads',
  postgresUrl: string | undefined,
): Promise<BenchServer<I>> {
  const scratch = await scratchPostgres(postgresUrl, `gatehouse_bench_${scenario}`);
  const dataDir = mkdtempSync(join(tmpdir(), `gatehouse-bench-${scenario}-`));
  const proc = child('server.ts', [scenario], { DATABASE_URL: scratch.url, BENCH_DATA_DIR: dataDir });
  const info = await new Promise<BenchServer<I>['info']>((resolve, reject) => {
    let buffer = '';
    proc.stdout!.on('data', (chunk) => {
      buffer += chunk;
      const line = buffer.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(JSON.parse(line.slice(6)));
    });
    proc.once('exit', (code) => reject(new Error(`bench server (${scenario}) exited with ${code}`)));
  });
  return {
    info,
    url: (path, bare = false) => `http://127.0.0.1:${bare ? info.barePort : info.appPort}${path}`,
    async stop() {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      await scratch.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface LoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** 1-minute load average when the phase ended. */
  load: number;
}

/** Drives one URL from the load-generator process (autocannon, `bench/load.ts`). */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const result = await childJson<Omit<LoadResult, 'load'>>('load.ts', [JSON.stringify(spec)]);
  return { ...result, load: load1() };
}

/** Bare argon2id verifications per second in a process of their own (same pool size as the server). */
export async function argon2Rate(seconds: number): Promise<{ perSecond: number; load: number }> {
  const result = await childJson<{ perSecond: number }>('argon2-verify.ts', [String(seconds), '4']);
  return { perSecond: result.perSecond, load: load1() };
}

/** The median of numbers (the middle round of an odd count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round(((sorted[mid - 1]! + sorted[mid]!) / 2) * 1000) / 1000;
}

export const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Runs `task` from `concurrency` loops in this process for `seconds`; returns completed operations per second. */
export async function measure(seconds: number, concurrency: number, task: () => Promise<void>) {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
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
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]! * 10) / 10;
  return {
    operations: latencies.length,
    seconds: Math.round(elapsed * 100) / 100,
    perSecond: Math.round((latencies.length / elapsed) * 10) / 10,
    p50Ms: pct(0.5),
    p95Ms: pct(0.95),
  };
}
