/** What the benchmarks share: a scratch PostgreSQL database per run, and the timed loop. */
import pg from 'pg';

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

/** Runs `task` from `concurrency` loops for `seconds`; returns completed operations per second. */
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
