import { defineConfig } from 'vitest/config';

/**
 * Browser tests (`tests/e2e`): each file starts Gatehouse on a real port over its own fresh database and drives
 * Debian's chromium through playwright-core. One file at a time: the machine is small and chromium is heavy.
 */
export default defineConfig({
  resolve: { alias: [{ find: /^#src\/(.*)$/, replacement: `${import.meta.dirname}/src/$1` }] },
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    globalSetup: ['src/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
