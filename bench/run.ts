/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those whose name contains an argument: `npm run bench -- login`)
 * on both drivers, one after another: PGlite, then PostgreSQL at DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres; skipped when unreachable). `--driver=pglite` or `--driver=postgres`
 * runs one. Prints each run's lines and every goal beside its figure, writes `bench/results/<name>.json` per run and
 * `bench/results/summary.json`, with the load average beside every figure.
 *
 * A bench file default-exports `async (): Promise<BenchResult>` and reads its driver from DATABASE_URL (unset =
 * PGlite), which this runner sets for each driver.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

export interface BenchGoal {
  label: string;
  value: number;
  /** Met when `value >= goal` (`> goal` when strict; `<= goal` when `atMost`). */
  goal: number;
  strict?: boolean;
  atMost?: boolean;
}

export interface BenchResult {
  /** File name of the result: `bench/results/<name>.json`. */
  name: string;
  /** Lines printed after the run. */
  summary: string[];
  /** Figures with a goal, printed beside it and gathered in the summary. */
  goals?: BenchGoal[];
  /** Everything measured, written to the JSON file. */
  data: Record<string, unknown>;
}

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('-'));
const onlyDriver = args.find((a) => a.startsWith('--driver='))?.slice('--driver='.length);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

if (files.length === 0) {
  process.stderr.write(`No bench files match ${filters.join(', ') || '*'}.\n`);
  process.exit(1);
}

const postgresUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const drivers: Array<{ name: 'pglite' | 'postgres'; url?: string }> = [];
if (!onlyDriver || onlyDriver === 'pglite') drivers.push({ name: 'pglite' });
if (!onlyDriver || onlyDriver === 'postgres') {
  if (await reachable(postgresUrl)) drivers.push({ name: 'postgres', url: postgresUrl });
  else process.stdout.write(`PostgreSQL at ${postgresUrl} is not reachable: its runs are skipped.\n`);
}

const met = (g: BenchGoal) =>
  g.atMost ? g.value <= g.goal : g.strict ? g.value > g.goal : g.value >= g.goal;
const fmt = (g: BenchGoal) =>
  `${met(g) ? 'MET ' : 'MISS'} ${g.label}: ${g.value} (goal ${g.atMost ? '≤' : g.strict ? '>' : '≥'} ${g.goal})`;

mkdirSync(join(here, 'results'), { recursive: true });
const summary: Array<BenchGoal & { met: boolean; run: string; loadAverage: number[] }> = [];
let failed = 0;
for (const driver of drivers) {
  if (driver.url) process.env.DATABASE_URL = driver.url;
  else delete process.env.DATABASE_URL;
  for (const file of files) {
    process.stdout.write(`\n== ${file} on ${driver.name} (load ${loadavg()[0]!.toFixed(2)})\n`);
    try {
      const module = (await import(pathToFileURL(join(here, file)).href)) as {
        default: () => Promise<BenchResult>;
      };
      const started = new Date();
      const loadBefore = loadavg();
      const result = await module.default();
      const loadAfter = loadavg();
      const output = {
        name: result.name,
        file,
        startedAt: started.toISOString(),
        finishedAt: new Date().toISOString(),
        node: process.version,
        cores: availableParallelism(),
        driver: driver.name,
        // 1/5/15-minute load averages before and after: other work on the machine skews the numbers.
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadAfter,
        goals: result.goals?.map((g) => ({ ...g, met: met(g) })),
        ...result.data,
      };
      const path = join(here, 'results', `${result.name}.json`);
      writeFileSync(path, `${JSON.stringify(output, null, 2)}\n`);
      for (const line of result.summary) process.stdout.write(`  ${line}\n`);
      for (const goal of result.goals ?? []) {
        process.stdout.write(`  ${fmt(goal)} [load ${loadAfter[0]!.toFixed(2)}]\n`);
        summary.push({ ...goal, met: met(goal), run: result.name, loadAverage: loadAfter });
      }
      process.stdout.write(`  → ${path}\n`);
    } catch (error) {
      failed++;
      process.stderr.write(
        `  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
  }
}

if (summary.length > 0) {
  process.stdout.write('\n== goals\n');
  for (const goal of summary)
    process.stdout.write(`  ${fmt(goal)} [load ${goal.loadAverage[0]!.toFixed(2)}]\n`);
  writeFileSync(
    join(here, 'results', 'summary.json'),
    `${JSON.stringify({ finishedAt: new Date().toISOString(), cores: availableParallelism(), goals: summary }, null, 2)}\n`,
  );
}
process.exit(failed > 0 ? 1 : 0);
