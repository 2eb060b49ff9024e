import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#src/test/helpers/free-port.ts';
import { buildProgram } from './program.ts';

/**
 * The `gatehouse` binary, spawned as a user runs it, on the embedded database in a temporary DATA_DIR.
 * Every spawn that opens PGlite costs about a second and ~1 GB, so the tests share one DATA_DIR and run in order.
 */
const DATA_DIR = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
const ENV = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  DATA_DIR,
  DATABASE_URL: '',
  LOG_LEVEL: 'warn',
  ARGON2_MEMORY_KIB: '1024',
  SEED_DEMO: 'false',
};

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function gatehouse(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/gatehouse.js', ...args], { env: { ...ENV, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function waitForReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`serve exited early (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`serve did not become ready:\n${output()}`);
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

/** Spawns open PGlite and load the app through tsx: seconds each, many more on a busy 2-core machine. */
const SPAWN_TIMEOUT = 180_000;

afterAll(() => rmSync(DATA_DIR, { recursive: true, force: true }));

describe('gatehouse --help', { timeout: SPAWN_TIMEOUT }, () => {
  it('describes every command and its options', () => {
    const commands = allCommands(buildProgram());
    const names = commands.map((c) => c.name());
    for (const name of ['serve', 'db', 'migrate', 'seed', 'org', 'create', 'list', 'api-key'])
      expect(names).toContain(name);
    for (const command of commands) {
      expect(command.description(), command.name()).not.toBe('');
      expect(command.helpInformation(), command.name()).toMatch(/^Usage: /);
    }
  });

  it('prints help from the binary, for the program and for a subcommand, without opening a database', async () => {
    const [root, sub] = await Promise.all([
      gatehouse(['--help']),
      gatehouse(['api-key', 'create', '--help'], { DATA_DIR: join(DATA_DIR, 'never-created') }),
    ]);
    expect(root.code).toBe(0);
    for (const name of ['serve', 'db', 'seed', 'org', 'api-key']) expect(root.stdout).toContain(name);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--org <org>');
    expect(existsSync(join(DATA_DIR, 'never-created'))).toBe(false);
  });

  it('exits non-zero with help on an unknown command or a missing option', async () => {
    const [unknown, missing] = await Promise.all([gatehouse(['frobnicate']), gatehouse(['org', 'create'])]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('--name <name>');
  });
});

// These spawn the binary on the embedded database whatever the suite's driver; the PostgreSQL phase of `npm test`
// would only repeat them, so they run in the PGlite phase.
describe.skipIf(Boolean(process.env.DATABASE_URL))(
  'offline commands on the embedded database',
  { timeout: SPAWN_TIMEOUT },
  () => {
    let orgId = '';
    let apiKey = '';

    it('db migrate creates and migrates a fresh database', async () => {
      const result = await gatehouse(['db', 'migrate']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Migrations applied.');
      expect(existsSync(join(DATA_DIR, 'pglite'))).toBe(true);
      expect(existsSync(join(DATA_DIR, 'gatehouse.pid')), 'the lock is released on exit').toBe(false);
    });

    it('org create prints the new id; api-key create --org <name> prints a key once', async () => {
      const org = await gatehouse(['org', 'create', '--name', 'Initech', '--user-management', 'original']);
      expect(org.code).toBe(0);
      orgId = org.stdout.trim();
      expect(orgId).toMatch(/^[\w-]{8,}$/);
      const key = await gatehouse(['api-key', 'create', '--org', 'Initech', '--name', 'ci']);
      expect(key.code).toBe(0);
      apiKey = key.stdout.trim();
      expect(apiKey).toMatch(/^ghk_\S+$/);
    });

    it('api-key create refuses an unknown organization', async () => {
      const result = await gatehouse(['api-key', 'create', '--org', 'No Such Org']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('No organization with id or name "No Such Org"');
    });

    it('org create refuses a name already taken, whatever its case', async () => {
      const result = await gatehouse(['org', 'create', '--name', 'INITECH']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        'An organization named "Initech" already exists. (directory.org_name_in_use)',
      );
    });

    it('audit verify --org takes an id or a name and fails on an unknown one', async () => {
      // One at a time: each offline command holds the embedded database while it runs.
      const byName = await gatehouse(['audit', 'verify', '--org', 'Initech']);
      const byId = await gatehouse(['audit', 'verify', '--org', orgId]);
      const unknown = await gatehouse(['audit', 'verify', '--org', 'No Such Org']);
      expect(byName.code, byName.stderr).toBe(0);
      expect(byName.stdout).toMatch(new RegExp(`^ok +${orgId}: \\d+ events, chain intact\\n$`));
      expect(byId.stdout).toBe(byName.stdout);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('No organization with id or name "No Such Org"');
      expect(unknown.stdout).toBe('');
    });

    it('seed --demo is idempotent: a second run changes nothing and prints the same org', async () => {
      const first = await gatehouse(['seed', '--demo']);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain('Demo data seeded');
      const second = await gatehouse(['seed', '--demo']);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain('Demo data present');
      const acmeOf = (out: string) => out.match(/org Acme (\S+)\)/)?.[1];
      expect(acmeOf(second.stdout)).toBe(acmeOf(first.stdout));
    });

    describe('while a server holds the database', () => {
      let server: ChildProcess;
      let output = '';
      let url = '';

      it('serve becomes ready, and the CLI-made key works against it', async () => {
        const port = await freePort();
        url = `http://127.0.0.1:${port}`;
        server = spawn(process.execPath, ['bin/gatehouse.js', 'serve'], {
          env: { ...ENV, PORT: String(port), LOG_LEVEL: 'warn' },
        });
        server.stdout?.on('data', (chunk) => (output += chunk));
        server.stderr?.on('data', (chunk) => (output += chunk));
        await waitForReady(url, server, () => output);
        expect(readFileSync(join(DATA_DIR, 'gatehouse.pid'), 'utf8')).toBe(String(server.pid));
        expect(
          existsSync(join(DATA_DIR, 'secrets.json')),
          'no signing secret: sessions are database rows',
        ).toBe(false);
        const response = await fetch(`${url}/admin/v1/orgs/${orgId}`, {
          headers: { authorization: `Bearer ${apiKey}` },
        });
        expect(response.status).toBe(200);
        expect((await response.json()).data.attributes).toEqual({
          name: 'Initech',
          userManagement: 'original',
        });
        const users = await fetch(`${url}/admin/v1/orgs/${orgId}/users`, {
          headers: { authorization: `Bearer ${apiKey}` },
        });
        expect(users.status).toBe(200);
      });

      it('org list talks to the running server over HTTP (--url, GATEHOUSE_API_KEY)', async () => {
        const [listed, unauthenticated, unreachable] = await Promise.all([
          gatehouse(['org', 'list', '--url', url], { GATEHOUSE_API_KEY: apiKey }),
          gatehouse(['org', 'list'], { GATEHOUSE_URL: url }),
          gatehouse(['org', 'list', '--url', 'http://127.0.0.1:1', '--api-key', apiKey]),
        ]);
        expect(listed.stderr).toBe('');
        expect(listed.stdout.trim()).toBe(`${orgId}\tInitech\toriginal`);
        expect(unauthenticated.code).toBe(1);
        expect(unauthenticated.stderr).toContain('auth.unauthenticated');
        expect(unauthenticated.stderr).toContain('--api-key');
        expect(unreachable.code).toBe(1);
        expect(unreachable.stderr).toContain('Cannot reach Gatehouse at http://127.0.0.1:1');
      });

      it('db migrate refuses, naming the server pid, and leaves the server running', async () => {
        const result = await gatehouse(['db', 'migrate']);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(`in use by a running Gatehouse process (pid ${server.pid})`);
        expect(result.stdout).not.toContain('Migrations applied');
        expect(readFileSync(join(DATA_DIR, 'gatehouse.pid'), 'utf8')).toBe(String(server.pid));
        expect((await fetch(`${url}/readyz`)).status).toBe(200);
      });

      it('SIGTERM shuts the server down cleanly: exit 0, lock released', async () => {
        expect(server.exitCode, output).toBeNull();
        const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
        server.kill('SIGTERM');
        expect(await exited, output).toBe(0);
        expect(existsSync(join(DATA_DIR, 'gatehouse.pid'))).toBe(false);
      });

      afterAll(() => {
        if (server && server.exitCode === null) server.kill('SIGKILL');
      });
    });
  },
);

/** A process of `gatehouse serve`, with everything it printed. */
function startServe(env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/gatehouse.js', 'serve'], { env: { ...ENV, ...env } });
  const proc = { child, output: '' };
  child.stdout.on('data', (chunk) => (proc.output += chunk));
  child.stderr.on('data', (chunk) => (proc.output += chunk));
  return proc;
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, output: () => string) {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}:\n${output()}`);
}

// The PostgreSQL phase: separate web and worker processes on one database, as a real deployment runs them.
describe.runIf(Boolean(process.env.DATABASE_URL))(
  'on PostgreSQL: offline commands, then ROLE=web and ROLE=worker sharing the database',
  { timeout: SPAWN_TIMEOUT },
  () => {
    const name = `gatehouse_cli_${randomBytes(5).toString('hex')}`;
    const adminUrl = process.env.DATABASE_URL ?? '';
    const url = (() => {
      const parsed = new URL(adminUrl || 'postgres://localhost/x');
      parsed.pathname = `/${name}`;
      return parsed.toString();
    })();
    let orgId = '';
    let apiKey = '';
    let web: ReturnType<typeof startServe>;
    let worker: ReturnType<typeof startServe>;
    let webUrl = '';

    beforeAll(async () => {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
    });
    afterAll(async () => {
      for (const proc of [web, worker]) if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
    });

    it('db migrate and seed --demo work against PostgreSQL', async () => {
      const migrated = await gatehouse(['db', 'migrate'], { DATABASE_URL: url });
      expect(migrated.code, migrated.stderr).toBe(0);
      const seeded = await gatehouse(['seed', '--demo'], { DATABASE_URL: url });
      expect(seeded.code, seeded.stderr).toBe(0);
      orgId = seeded.stdout.match(/org Acme (\S+)\)/)?.[1] ?? '';
      apiKey = seeded.stdout.match(/(ghk_\S+)/)?.[1] ?? '';
      expect(orgId).not.toBe('');
      expect(apiKey).not.toBe('');
    });

    it('ROLE=web serves HTTP without running jobs; ROLE=worker runs jobs without listening', async () => {
      const [webPort, workerPort] = [await freePort(), await freePort()];
      webUrl = `http://127.0.0.1:${webPort}`;
      web = startServe({ DATABASE_URL: url, ROLE: 'web', PORT: String(webPort) });
      worker = startServe({ DATABASE_URL: url, ROLE: 'worker', PORT: String(workerPort) });
      await waitFor(
        'the web process',
        async () => (await fetch(`${webUrl}/readyz`).catch(() => undefined))?.status === 200,
        () => web.output,
      );
      await waitFor(
        'the worker process',
        () => worker.output.includes('role worker'),
        () => worker.output,
      );
      expect(worker.output).not.toContain('URL:');
      await expect(fetch(`http://127.0.0.1:${workerPort}/healthz`)).rejects.toThrow();
      expect(web.output).toContain('role web');
    });

    it('a migration started on the web process is run by the worker process', async () => {
      const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
      const sites = await (await fetch(`${webUrl}/admin/v1/orgs/${orgId}/sites`, { headers })).json();
      const acme = sites.data.find((s: { name: string }) => s.name === 'acme');
      const started = await fetch(`${webUrl}/admin/v1/orgs/${orgId}/sites/${acme.id}/migrations`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ emails: ['ada.lovelace@acme-customers.example'] }),
      });
      expect(started.status).toBe(202);
      const { taskId } = await started.json();
      let status = '';
      await waitFor(
        'the migration task to finish',
        async () => {
          const { task } = await (
            await fetch(`${webUrl}/admin/v1/orgs/${orgId}/sites/${acme.id}/migrations/${taskId}`, { headers })
          ).json();
          status = task.status;
          return status === 'succeeded' || status === 'failed';
        },
        () => `${web.output}\n${worker.output}`,
      );
      expect(status).toBe('succeeded');
    });

    it('SIGTERM stops both processes cleanly', async () => {
      const exits = [web, worker].map(
        (proc) =>
          new Promise<number | null>((resolve) =>
            proc.child.exitCode === null ? proc.child.once('exit', resolve) : resolve(proc.child.exitCode),
          ),
      );
      web.child.kill('SIGTERM');
      worker.child.kill('SIGTERM');
      expect(await Promise.all(exits)).toEqual([0, 0]);
    });
  },
);
