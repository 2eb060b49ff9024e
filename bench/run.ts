/**
 * Runs every `bench/*.bench.ts` (or those whose name contains an argument: `npm run bench -- login`) one after
 * another, prints each summary and writes `bench/results/<name>.json`.
 *
 * A bench file default-exports `async (): Promise<BenchResult>`.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchResult {
  /** File name of the result: `bench/results/<name>.json`. */
  name: string;
  /** Lines printed after the run. */
  summary: string[];
  /** Everything measured, written to the JSON file. */
  data: Record<string, unknown>;
}

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

if (files.length === 0) {
  process.stderr.write(`No bench files match ${filters.join(', ') || '*'}.\n`);
  process.exit(1);
}

mkdirSync(join(here, 'results'), { recursive: true });
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  try {
    const module = (await import(pathToFileURL(join(here, file)).href)) as {
      default: () => Promise<BenchResult>;
    };
    const started = new Date();
    const loadBefore = loadavg();
    const result = await module.default();
    const output = {
      name: result.name,
      file,
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      node: process.version,
      driver: process.env.DATABASE_URL ? 'postgres' : 'pglite',
      // 1/5/15-minute load averages before and after: other work on the machine skews the numbers.
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadavg(),
      ...result.data,
    };
    const path = join(here, 'results', `${result.name}.json`);
    writeFileSync(path, `${JSON.stringify(output, null, 2)}\n`);
    for (const line of result.summary) process.stdout.write(`  ${line}\n`);
    process.stdout.write(`  → ${path}\n`);
  } catch (error) {
    failed++;
    process.stderr.write(
      `  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
}
process.exit(failed > 0 ? 1 : 0);
