import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '#src/domain/seed/seed-demo.ts';
import { freePort } from '#src/test/helpers/free-port.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

/**
 * The README cannot drift: every ```sh block of README.md runs here, as printed, in bash against a Gatehouse
 * seeded with the demo data and listening on 127.0.0.1. `curl` fails on any HTTP error (--fail-with-body) and
 * `set -e` stops the block, so an example that answers 4xx, a wrong placeholder or a stale path fails the test.
 * Each block after the first runs after the first (the Quick start's variables). Each starts in a folder where `data/` is the server's DATA_DIR (as `./data` is for `npm start`).
 * Blocks in ```console are commands that start a server (npm start with settings), not run here.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...README.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m, i) => ({
  index: i + 1,
  heading:
    README.slice(0, m.index)
      .match(/^## (.+)$/gm)
      ?.at(-1)
      ?.slice(3) ?? '(top)',
  script: m[1]!,
}));

let server: TestServer;
let http: ReturnType<typeof serve>;
let workDir = '';

beforeAll(async () => {
  // The README's examples use port 8080; the test serves elsewhere and rewrites that one URL.
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-readme-data-'));
  server = await createTestServer({
    workers: true,
    env: { BASE_URL: 'http://127.0.0.1:8080', DATA_DIR: dataDir, HOST: '127.0.0.1' },
  });
  await seedDemo(server.services);
  await new Promise<void>((resolve) => {
    http = serve({ fetch: server.app.fetch, hostname: '127.0.0.1', port }, () => resolve());
  });
  workDir = mkdtempSync(join(tmpdir(), 'gatehouse-readme-'));
  symlinkSync(dataDir, join(workDir, 'data'));
  process.env.README_TEST_PORT = String(port);
}, 300_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  await server?.close();
});

describe('README.md examples', () => {
  it('has runnable examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  for (const block of blocks) {
    it(`block ${block.index} (${block.heading}) runs as printed`, { timeout: 120_000 }, async () => {
      const port = process.env.README_TEST_PORT;
      const prelude = [
        'set -euo pipefail',
        // The server of this test listens on another port; everything else is the README's text.
        `curl() { command curl -sS --fail-with-body --connect-to 127.0.0.1:8080:127.0.0.1:${port} "$@"; }`,
        // `npx gatehouse` is this checkout's CLI, talking to this test's server.
        `npx() { if [ "$1" = gatehouse ]; then shift; GATEHOUSE_URL="\${GATEHOUSE_URL/127.0.0.1:8080/127.0.0.1:${port}}" node ${join(ROOT, 'bin', 'gatehouse.js')} "$@"; else command npx "$@"; fi; }`,
      ].join('\n');
      // Every block after the first runs after the first: it sets the variables ($B, $KEY, $ORG, …).
      const setup = block.index === 1 ? '' : blocks[0]!.script;
      // Asynchronous: the server answering these requests runs in this process.
      const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>(
        (resolve) => {
          const child = spawn('bash', ['-c', `${prelude}\n${setup}\n${block.script}`], { cwd: workDir });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (chunk) => (stdout += chunk));
          child.stderr.on('data', (chunk) => (stderr += chunk));
          child.on('close', (status) => resolve({ status, stdout, stderr }));
        },
      );
      expect(
        result.status,
        `${block.script}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
      ).toBe(0);
    });
  }
});
