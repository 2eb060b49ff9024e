import { defineConfig } from 'vitest/config';

/**
 * Fault-injection tests (`npm run test:faults`): the migration crash test with 50 rounds (MIGRATION_CRASH_ROUNDS)
 * and, on PostgreSQL, one restart of the database server mid-run (MIGRATION_CRASH_RESTART_PG=1). The normal suite
 * runs the same file with 5 rounds and never restarts the database.
 */
export default defineConfig({
  resolve: { alias: [{ find: /^#src\/(.*)$/, replacement: `${import.meta.dirname}/src/$1` }] },
  test: {
    include: ['tests/faults/**/*.test.ts'],
    globalSetup: ['src/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 3_600_000,
    hookTimeout: 120_000,
    env: {
      MIGRATION_CRASH_ROUNDS: process.env.MIGRATION_CRASH_ROUNDS ?? '50',
      MIGRATION_CRASH_RESTART_PG: process.env.MIGRATION_CRASH_RESTART_PG ?? '1',
    },
    reporters: ['default'],
  },
});
