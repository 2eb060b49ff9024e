/**
 * The peer: Better Auth's own login bench (`../shared/peers/better-auth/bench.mjs`: its server in a process of its
 * own, autocannon with 8 connections, round-robin over 20 users, same argon2id cost), run on a scratch database of
 * the same PostgreSQL in the same run. Its folder must have its dependencies installed (`npm ci` there); set
 * BENCH_BETTER_AUTH_DIR to use a copy elsewhere. Skipped (undefined) when it is not installed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load1, scratchPostgres } from './harness.ts';

const DEFAULT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/peers/better-auth');

export function betterAuthDir(): string | undefined {
  const dir = process.env.BENCH_BETTER_AUTH_DIR ?? DEFAULT_DIR;
  return existsSync(join(dir, 'node_modules', 'better-auth')) ? dir : undefined;
}

export interface BetterAuthRound {
  loginsPerSec: number;
  argon2VerifyPerSec: number;
  ratio: number;
  sqlPerLogin: Record<string, number>;
  load: number;
}

/** One run of the peer bench for `seconds` of load; undefined when the peer is not installed. */
export async function runBetterAuth(
  postgresUrl: string,
  seconds: number,
): Promise<BetterAuthRound | undefined> {
  const dir = betterAuthDir();
  if (!dir) return undefined;
  const scratch = await scratchPostgres(postgresUrl, 'better_auth_bench');
  try {
    const proc = spawn(process.execPath, ['bench.mjs'], {
      cwd: dir,
      env: {
        ...process.env,
        DATABASE_URL: scratch.url,
        DURATION: String(seconds),
        VERIFY_SECONDS: String(Math.max(2, Math.round(seconds / 2))),
        CONNECTIONS: '8',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    proc.stdout.on('data', (chunk) => {
      out += chunk;
    });
    const code = await new Promise<number | null>((done) => proc.once('exit', done));
    if (code !== 0) throw new Error(`Better Auth bench exited with ${code}`);
    const result = JSON.parse(out.trim().split('\n').pop()!) as Omit<BetterAuthRound, 'load'>;
    return {
      loginsPerSec: result.loginsPerSec,
      argon2VerifyPerSec: result.argon2VerifyPerSec,
      ratio: result.ratio,
      sqlPerLogin: result.sqlPerLogin,
      load: load1(),
    };
  } finally {
    await scratch.drop();
  }
}
