/**
 * Start-up of the compiled binary, as a person or a supervisor starts it: `node bin/gatehouse.js serve` on an
 * existing, migrated database (warm start: no seeding) until `/readyz` answers 200, and `gatehouse --help`.
 * The driver follows DATABASE_URL (a scratch database on that server) else PGlite in a scratch DATA_DIR.
 * Targets: warm start ≤ 1 s, --help ≤ 0.5 s, on the project's machine kind when quiet (see the load average).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '#src/test/helpers/free-port.ts';
import { scratchPostgres } from './harness.ts';
import type { BenchResult } from './run.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'gatehouse.js');
const RUNS = Number(process.env.BENCH_START_RUNS ?? 5);

/** Milliseconds from spawning `serve` to the first 200 of /readyz; then stops the server (SIGTERM). */
async function timeStart(env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), BASE_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}): ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export default async function startBench(): Promise<BenchResult> {
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  const pg = await scratchPostgres(process.env.DATABASE_URL, 'bench_start');
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-start-'));
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: pg.url ?? '',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
  };
  try {
    // The first start creates and migrates the database (and fills the compile cache): not a warm start.
    const cold = await timeStart(env);
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) warm.push(await timeStart(env));
    const help: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const result = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`--help failed: ${result.stderr}`);
      help.push(performance.now() - started);
    }
    const driver = pg.url ? 'postgres' : 'pglite';
    const load = loadavg()[0]!.toFixed(1);
    return {
      name: `start-${driver}`,
      summary: [
        `warm start → /readyz 200 (${driver}), median of ${RUNS}: ${median(warm).toFixed(0)} ms (min ${Math.min(...warm).toFixed(0)}, target ≤ 1000)`,
        `first start (create + migrate): ${cold.toFixed(0)} ms`,
        `gatehouse --help, median of ${RUNS}: ${median(help).toFixed(0)} ms (target ≤ 500)`,
        `load average (1 min) at the end: ${load}`,
      ],
      data: { runs: RUNS, warmMs: warm, coldMs: cold, helpMs: help },
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await pg.drop();
  }
}
