// Compiles src/ into dist/ (one ESM bundle plus lazily loaded chunks, with most packages inside), so
// `npm start`, bin/gatehouse.js and every CLI command run plain JavaScript. Runs on install (`prepare`).
//   node scripts/build.mjs             build
//   node scripts/build.mjs --if-stale  build only when a file under src/ (or package.json) is newer than dist/
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = join(ROOT, 'dist');
const STAMP = join(OUT_DIR, 'main.js');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when dist/ is missing or older than the sources it was built from. */
export function isStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return (
    newestMtime(join(ROOT, 'src')) > built ||
    statSync(join(ROOT, 'package.json')).mtimeMs > built ||
    statSync(fileURLToPath(import.meta.url)).mtimeMs > built
  );
}

/** Bundles src/main.ts into dist/ (built beside it, then swapped in, so no stale chunk stays behind). */
export async function build() {
  const { build: esbuild } = await import('esbuild');
  const started = Date.now();
  const staging = `${OUT_DIR}.${process.pid}`;
  await esbuild({
    entryPoints: { main: join(ROOT, 'src', 'main.ts') },
    outdir: staging,
    bundle: true,
    // Dynamic import() calls become chunks loaded on first use: `gatehouse --help` does not load the server.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    // Packages are bundled too: resolving each of a package's files at start-up (package.json lookups, one module
    // record each) cost more than a second of a warm start. Kept outside: what loads files beside itself at run
    // time (PGlite's wasm and data, argon2's native binding, pino's worker transports, static assets served from
    // node_modules) and what is optional or build-only.
    external: [
      '@electric-sql/pglite',
      '@electric-sql/pglite/*',
      '@node-rs/argon2',
      'esbuild',
      'pino',
      'pg-native',
      'swagger-ui-dist',
      'htmx.org',
    ],
    // CommonJS packages inside an ES module bundle still call require() (node: built-ins): give them one.
    banner: {
      js: "import { createRequire as __ghCreateRequire } from 'node:module'; const require = __ghCreateRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    logLevel: 'warning',
  });
  const old = `${OUT_DIR}.old.${process.pid}`;
  if (existsSync(OUT_DIR)) renameSync(OUT_DIR, old);
  renameSync(staging, OUT_DIR);
  rmSync(old, { recursive: true, force: true });
  return Date.now() - started;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);
  const ms = await build();
  process.stdout.write(`gatehouse: built dist/ in ${ms} ms\n`);
}
