import { defineConfig } from 'vitest/config';

/**
 * Unit, db and API tests (`src/**\/*.test.ts`, `tests/api`). The driver follows DATABASE_URL: unset runs on
 * PGlite, set runs the same suite on PostgreSQL. Every file gets its own database copied from a template.
 */
export default defineConfig({
  resolve: { alias: [{ find: /^#src\/(.*)$/, replacement: `${import.meta.dirname}/src/$1` }] },
  test: {
    // tests/faults kill and restart servers: they run in their own phase (`npm run test:faults`, npm test).
    include: [
      'src/**/*.test.ts',
      'tests/api/**/*.test.ts',
      'tests/budgets/**/*.test.ts',
      'tests/readme/**/*.test.ts',
    ],
    globalSetup: ['src/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
