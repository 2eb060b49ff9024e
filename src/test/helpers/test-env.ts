import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, parseConfig } from '#src/config/env.ts';

/**
 * Test configuration: the driver follows DATABASE_URL (unset = PGlite), cheap argon2, no logs.
 * Reads the real environment only for DATABASE_URL and TEST_LOG_LEVEL.
 */
export function testConfig(overrides: Record<string, string | undefined> = {}): Config {
  return parseConfig({
    DATA_DIR: join(tmpdir(), `gatehouse-test-${process.pid}`),
    ARGON2_MEMORY_KIB: '1024',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'false',
    BASE_URL: 'http://gatehouse.test',
    // In-process requests come from the loopback peer; trusting it lets a test pick its client address with
    // X-Forwarded-For (per-IP limits). The default (off) is tested in src/web/client-ip.test.ts.
    TRUST_PROXY: '127.0.0.1,::1',
    DATABASE_URL: process.env.DATABASE_URL,
    ...overrides,
  });
}

/**
 * Names of this run's templates. Each run (of any engineer or CI phase) has its own, so concurrent runs never
 * drop or overwrite each other's template.
 */
export function templateNames(runId: string): { pgliteFile: string; pgDatabase: string } {
  return {
    pgliteFile: join(tmpdir(), 'gatehouse-test-templates', `${runId}.tar.gz`),
    pgDatabase: `gatehouse_tpl_${runId}`,
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    gatehouseTemplateRun: string;
  }
}
