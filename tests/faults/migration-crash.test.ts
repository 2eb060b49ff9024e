/**
 * @fileoverview Crash test of the migration (issue 6): a real Gatehouse process (`gatehouse serve --role all`) runs
 * bulk migrations and is killed with SIGKILL at random points; it is restarted, the task completes, and after each
 * round the invariants hold (every reference on a live site user, totals unchanged, one account per email, one
 * mapping row and one audit event per migrated customer).
 *
 * Then the chunked phase: customers with 20,000 requests migrate in chunks (MIGRATION_CHUNK_ROWS=200 here, so
 * hundreds of chunk transactions) and the server is killed again and again until MIGRATION_CRASH_ROUNDS kills
 * landed while such a customer was `migrating`; after each, whatever the chunks committed must add up exactly
 * (the item's running counts plus what still points at the old site user equal the history).
 *
 * Rounds: MIGRATION_CRASH_ROUNDS (5 in `npm test`, 50 in `npm run test:faults`). On PGlite the server process
 * owns the embedded database (a temp folder): the test reads it only while the server is stopped. On PostgreSQL
 * the test reads alongside; unless MIGRATION_CRASH_RESTART_PG=0 (as in `npm test`) one round restarts the database
 * server instead of the worker, and the same worker must recover and finish.
 */
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { boot, type Runtime } from '#src/app/boot.ts';
import type { Database, Executor } from '#src/db/client.ts';
import { openPglite } from '#src/db/pglite.ts';
import {
  buildBulkCustomers,
  buildCustomerWithHistory,
  buildMigrationTenant,
} from '#src/test/factories/migration.ts';
import { createTestDatabase } from '#src/test/helpers/database.ts';
import { countTotals, findInvariantViolations, type Totals } from '#src/test/helpers/invariants.ts';
import { templateNames, testConfig } from '#src/test/helpers/test-env.ts';

// `npm test` sets 5 rounds and no restart; `npm run test:faults` (nothing set) runs the full 50 with a restart.
const ROUNDS = Number(process.env.MIGRATION_CRASH_ROUNDS ?? 50);
const PER_ROUND = Number(process.env.MIGRATION_CRASH_CUSTOMERS ?? 25);
const RESTART_PG = process.env.MIGRATION_CRASH_RESTART_PG !== '0';
const ON_PG = Boolean(process.env.DATABASE_URL);
const ROOT = join(import.meta.dirname, '..', '..');
/** Requests of each big customer of the chunked phase, and how many such customers are seeded. */
const BIG_REQUESTS = Number(process.env.MIGRATION_CRASH_BIG_REQUESTS ?? 20_000);
// How many kills land inside one 20,000-request customer's chunked migration depends on the machine's speed (32
// over 3 customers in a 50-round run on a loaded machine, 4 over 1 in a 5-round CI run): kills come every 50–250 ms
// in that phase, and there is one big customer more than ROUNDS / 8 needs, so ROUNDS kills land inside even on a fast
// machine.
const BIG_CUSTOMERS = Math.ceil(ROUNDS / 8) + 1;
const CHUNK_ROWS = 200;
const SECRET = 'crash-test-session-secret-0123456789abcdef';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const t0 = Date.now();
const trace = (what: string) =>
  process.env.MIGRATION_CRASH_TRACE && process.stderr.write(`${Date.now() - t0} ms ${what}\n`);
/** How long a (re)started server may take to answer /readyz (MIGRATION_CRASH_START_TIMEOUT_MS). */
const START_TIMEOUT_MS = Number(process.env.MIGRATION_CRASH_START_TIMEOUT_MS ?? 300_000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class ServerProcess {
  child?: ChildProcess;
  log = '';
  constructor(
    private readonly env: Record<string, string>,
    readonly url: string,
  ) {}

  async start(): Promise<void> {
    trace('start');
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'gatehouse.js'), 'serve', '--role', 'all'], {
      cwd: ROOT,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-20000)));
    child.stderr?.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-20000)));
    // Readiness, not a fixed budget: a loaded machine (load ≈ 12) can take far longer than a quiet one to start.
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${this.log}`);
      try {
        if ((await fetch(`${this.url}/readyz`)).ok) return void trace('started');
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`server did not become ready in ${START_TIMEOUT_MS / 1000} s: ${this.log}`);
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    trace(`stop ${signal}`);
    child.kill(signal);
    await exited;
    trace('stopped');
  }
}

interface Fixture {
  orgId: string;
  siteId: string;
  apiKey: string;
  customerIds: string[];
  /** Customers with BIG_REQUESTS requests each (the chunked phase). */
  bigCustomerIds: string[];
  totals: Totals;
}

let runtime: Runtime | undefined;
let pgDatabase: Database | undefined;
let dataDir: string | undefined;
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop('SIGKILL');
  await runtime?.close(1000);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function seed(services: Runtime['services']): Promise<Omit<Fixture, 'totals'>> {
  const tenant = await buildMigrationTenant(services);
  const customerIds = await buildBulkCustomers(services, {
    orgId: tenant.org.id,
    siteId: tenant.site.id,
    count: ROUNDS * PER_ROUND,
    requestsEach: 5,
    agentSiteUserId: tenant.agentSiteUserId,
    desk: tenant.desk,
  });
  const bigCustomerIds: string[] = [];
  for (let i = 0; i < BIG_CUSTOMERS; i++) {
    const { customer } = await buildCustomerWithHistory(services, tenant, {
      requests: BIG_REQUESTS,
      commentsPerRequest: 1,
      participantsPerRequest: 1,
      approvals: false,
    });
    bigCustomerIds.push(customer.id);
  }
  return { orgId: tenant.org.id, siteId: tenant.site.id, apiKey: tenant.apiKey, customerIds, bigCustomerIds };
}

/**
 * Reads the invariants while the server is down (right after a SIGKILL: whatever committed must be whole) or, on
 * PostgreSQL, alongside it. On PGlite the test opens the folder only while no server holds it.
 */
async function checkInvariants(
  fixture: Fixture,
  options: { allowMigrating?: boolean } = {},
): Promise<number> {
  const check = async (db: Executor) => {
    expect(await findInvariantViolations(db, fixture.orgId, options)).toEqual([]);
    expect(await countTotals(db, fixture.orgId)).toEqual(fixture.totals);
    return checkChunkedProgress(db, fixture);
  };
  if (ON_PG) return check(runtime!.services.db);
  expect(server?.child?.exitCode !== null || server?.child?.signalCode !== null).toBe(true);
  const database = await openPglite({ dataDir: dataDir! });
  try {
    return await check(database.db);
  } finally {
    await database.close();
  }
}

/**
 * For each big customer caught `migrating`: what its chunks committed adds up exactly (the item's running count of
 * requests plus the requests still on the old site user equal its history). Returns how many were migrating.
 */
async function checkChunkedProgress(db: Executor, fixture: Fixture): Promise<number> {
  const ids = sql.join(
    fixture.bigCustomerIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const result = await db.execute(sql`
    select c.id, coalesce((i.counts->>'requests')::int, 0) as moved,
      (select count(*)::int from requests r where r.reporter_id = u.id) as left
    from portal_customers c join site_users u on u.customer_id = c.id
    left join migration_task_items i on i.customer_id = c.id and i.status = 'pending'
    where c.id in (${ids}) and c.status = 'migrating'`);
  const rows = (result as unknown as { rows: Array<{ id: string; moved: number; left: number }> }).rows;
  for (const row of rows)
    expect({ id: row.id, total: row.moved + row.left }).toEqual({ id: row.id, total: BIG_REQUESTS });
  return rows.length;
}

async function countMapped(db: Executor, orgId: string): Promise<number> {
  const result = await db.execute(
    sql`select count(*)::int as n from customer_migrations where org_id = ${orgId}`,
  );
  return Number((result as unknown as { rows: Array<{ n: number }> }).rows[0]!.n);
}

async function api(fixture: Fixture, method: string, path: string, body?: unknown) {
  const response = await fetch(
    `${server!.url}/admin/v1/orgs/${fixture.orgId}/sites/${fixture.siteId}${path}`,
    {
      method,
      headers: { authorization: `Bearer ${fixture.apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
  );
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function waitForTask(fixture: Fixture, taskId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { status, body } = await api(fixture, 'GET', `/migrations/${taskId}?limit=1`);
      if (status === 200 && !['queued', 'running'].includes(body.task.status)) return body.task;
    } catch {
      // the server may be between restarts
    }
    if (Date.now() > deadline) {
      let state = '';
      if (ON_PG) {
        const db = runtime!.services.db;
        const dump = async (q: ReturnType<typeof sql>) =>
          JSON.stringify(((await db.execute(q)) as unknown as { rows: unknown[] }).rows);
        state = [
          await dump(
            sql`select status, started_at, cancel_requested_at from migration_tasks where id = ${taskId}`,
          ),
          await dump(
            sql`select status, count(*) from migration_task_items where task_id = ${taskId} group by status`,
          ),
          await dump(
            sql`select id, state, retry_count, started_on, heartbeat_on, output from pgboss.job where name = 'migration.run-task' and data->>'taskId' = ${taskId}`,
          ),
          await dump(
            sql`select pid, state, wait_event_type, left(query, 120) as q, xact_start from pg_stat_activity where datname = current_database()`,
          ),
        ].join('\n');
      }
      throw new Error(`task ${taskId} did not finish: ${state}\n${server!.log}`);
    }
    await sleep(100);
  }
}

describe(`migration crash test (${ON_PG ? 'PostgreSQL' : 'PGlite'}, ${ROUNDS} rounds)`, () => {
  it(
    'survives SIGKILL of the worker at random points: every task completes and the invariants hold',
    async () => {
      const port = await freePort();
      const env: Record<string, string> = {
        PORT: String(port),
        HOST: '127.0.0.1',
        SEED_DEMO: 'false',
        LOG_LEVEL: process.env.MIGRATION_CRASH_LOG_LEVEL ?? 'warn',
        ARGON2_MEMORY_KIB: '1024',
        SESSION_SECRET: SECRET,
        // Vite sets BASE_URL=/ in the test process's environment; the server needs its real URL.
        BASE_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: '',
        MIGRATION_CHUNK_ROWS: String(CHUNK_ROWS),
      };
      let fixture: Fixture;
      if (ON_PG) {
        pgDatabase = await createTestDatabase();
        runtime = await boot(testConfig(), { database: pgDatabase, startWorkers: false });
        const seeded = await seed(runtime.services);
        fixture = { ...seeded, totals: await countTotals(runtime.services.db, seeded.orgId) };
        env.DATABASE_URL = pgDatabase.url!;
      } else {
        dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-crash-'));
        const database = await openPglite({
          dataDir,
          loadDataDir: new Blob([readFileSync(templateNames(inject('gatehouseTemplateRun')).pgliteFile)]),
        });
        const seeding = await boot(testConfig({ DATA_DIR: dataDir }), { database, startWorkers: false });
        const seeded = await seed(seeding.services);
        fixture = { ...seeded, totals: await countTotals(seeding.services.db, seeded.orgId) };
        await seeding.close(1000);
        env.DATA_DIR = dataDir;
      }
      server = new ServerProcess(env, `http://127.0.0.1:${port}`);

      const restartPgRound = RESTART_PG && ON_PG ? Math.floor(ROUNDS / 2) : -1;
      let kills = 0;
      await server.start();
      for (let round = 0; round < ROUNDS; round++) {
        const ids = fixture.customerIds.slice(round * PER_ROUND, (round + 1) * PER_ROUND);
        const started = await api(fixture, 'POST', '/migrations', { customerIds: ids });
        expect(started.status, JSON.stringify(started.body)).toBe(202);
        const taskId = started.body.taskId as string;
        await sleep(20 + Math.floor(Math.random() * 800));
        if (round === restartPgRound) {
          const cluster = execSync('ls /etc/postgresql').toString().trim().split('\n')[0];
          trace('restart PostgreSQL');
          execSync(`pg_ctlcluster --skip-systemctl-redirect ${cluster} main restart`);
        } else {
          await server.stop('SIGKILL');
          kills++;
          // Whatever the killed worker committed must be whole: check the state it left behind.
          await checkInvariants(fixture);
          trace('checked after kill');
          await server.start();
        }
        const task = await waitForTask(fixture, taskId, 300_000);
        trace('task done');
        expect(task.status).toBe('succeeded');
        expect(task.counts).toMatchObject({ total: PER_ROUND, succeeded: PER_ROUND, failed: 0 });
        if (ON_PG) await checkInvariants(fixture);
      }

      // The chunked phase: kill while big customers migrate in chunks, until ROUNDS kills landed inside one.
      let chunkedKills = 0;
      for (const bigId of fixture.bigCustomerIds) {
        if (chunkedKills >= ROUNDS) break;
        const started = await api(fixture, 'POST', '/migrations', { customerIds: [bigId] });
        expect(started.status, JSON.stringify(started.body)).toBe(202);
        const taskId = started.body.taskId as string;
        for (;;) {
          await sleep(50 + Math.floor(Math.random() * 200));
          const { body } = await api(fixture, 'GET', `/migrations/${taskId}?limit=1`);
          if (!['queued', 'running'].includes(body.task.status)) break;
          await server.stop('SIGKILL');
          kills++;
          chunkedKills += await checkInvariants(fixture, { allowMigrating: true });
          trace(`chunked kills ${chunkedKills}`);
          await server.start();
          if (chunkedKills >= ROUNDS) break;
        }
        const task = await waitForTask(fixture, taskId, 600_000);
        expect(task.status).toBe('succeeded');
      }
      expect(chunkedKills).toBeGreaterThanOrEqual(ROUNDS);

      await server.stop('SIGTERM');
      await checkInvariants(fixture);
      const mapped = ON_PG ? await countMapped(runtime!.services.db, fixture.orgId) : undefined;
      if (mapped !== undefined) expect(mapped).toBeGreaterThanOrEqual(ROUNDS * PER_ROUND + 1);
      expect(kills).toBeGreaterThan(0);
    },
    // Generous: on a loaded machine a PGlite server takes up to a minute to boot after each kill.
    900_000 + ROUNDS * 240_000,
  );
});
