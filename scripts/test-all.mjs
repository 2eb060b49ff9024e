// The whole check, as README and CI run it: lint, layer rules, type check, the suite on PGlite, the same suite
// on PostgreSQL, then the browser tests. Prints one closing line "tests: N passed, N failed, N skipped".
// Environment: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); SKIP_PG=1 / SKIP_E2E=1 to skip a phase.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const outDir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));

function run(label, command, args, env = {}) {
  process.stdout.write(`\n=== ${label}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  process.stdout.write(
    `=== ${label}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (result.status !== 0) failures.push(label);
  return result.status === 0;
}

function vitest(label, config, env) {
  const file = join(outDir, `${label.replace(/\W+/g, '-')}.json`);
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`];
  if (config) args.push('--config', config);
  run(label, 'npx', args, env);
  if (!existsSync(file)) {
    totals.failed += 1;
    return;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed +=
    report.numFailedTests + (report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? 1 : 0);
  totals.skipped += report.numPendingTests + report.numTodoTests;
}

run('lint (biome)', 'npx', ['biome', 'check', '.']);
run('layers (dependency-cruiser)', 'npx', ['depcruise', 'src', '--config', '.dependency-cruiser.cjs']);
run('type check (tsc 7)', 'node', ['node_modules/tsgo7/bin/tsc', '--noEmit', '-p', 'tsconfig.json']);
vitest('suite on PGlite', undefined, { DATABASE_URL: '' });
if (process.env.SKIP_PG !== '1') vitest('suite on PostgreSQL', undefined, { DATABASE_URL: PG_URL });
// The fault phase (tests/faults: SIGKILL rounds, writers during a bulk migration) on both drivers, 5 crash rounds
// (`npm run test:faults` runs 50 and restarts PostgreSQL once).
const FAULTS = { MIGRATION_CRASH_ROUNDS: '5', MIGRATION_CRASH_RESTART_PG: '0' };
vitest('faults on PGlite', 'vitest.faults.config.ts', { ...FAULTS, DATABASE_URL: '' });
if (process.env.SKIP_PG !== '1')
  vitest('faults on PostgreSQL', 'vitest.faults.config.ts', { ...FAULTS, DATABASE_URL: PG_URL });
if (process.env.SKIP_E2E !== '1' && existsSync('vitest.e2e.config.ts'))
  vitest('browser tests', 'vitest.e2e.config.ts', { DATABASE_URL: '' });

process.stdout.write(
  `\n${failures.length ? `Failed phases: ${failures.join(', ')}` : 'All phases passed.'}\n`,
);
process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failures.length || totals.failed ? 1 : 0);
