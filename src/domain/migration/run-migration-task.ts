import {
  claimTaskItem,
  finishTaskItem,
  listPendingItems,
} from '#src/db/queries/migration/migration-task-items.queries.ts';
import {
  findTask,
  finishTaskRun,
  type MigrationTaskRow,
  startTaskRun,
} from '#src/db/queries/migration/migration-tasks.queries.ts';
import { needsChunkedMigration, type RepointCursor } from '#src/db/queries/migration/repoint.queries.ts';
import { isAppError } from '#src/shared/errors.ts';
import { afterWorkInFlight, servingRequests } from '#src/shared/interactive-work.ts';
import { type Actor, ZStoredActor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { MIGRATION_REFUSALS, migrateCustomer, type PreparedSite, prepareSite } from './migrate-customer.ts';
import { BATCH_HISTORY_LIMIT, type BatchOutcome, migrateCustomerBatch } from './migrate-customer-batch.ts';
import { moveChunk, startChunkedMigration } from './migrate-customer-in-chunks.ts';

/** Batches migrated side by side on PostgreSQL (PGlite: one at a time). */
const POSTGRES_CONCURRENCY = 4;
/** How often a running task re-reads its row for a cancel request. */
const CANCEL_CHECK_MS = 200;

/** The actor recorded on a task's audit events: whoever started it, as stored whole when it started. */
export function taskActor(task: MigrationTaskRow): Actor {
  const stored = ZStoredActor.safeParse(task.requestedByActor);
  if (stored.success) return stored.data;
  // Tasks started before the actor was stored keep only `requested_by` (`account:<id>`, `api_key:<id>`).
  const [kind, id = ''] = task.requestedBy.split(':');
  if (kind === 'account') return { type: 'account', accountId: id, email: '', via: 'api_token' };
  if (kind === 'api_key') return { type: 'api_key', apiKeyId: id, orgId: task.orgId };
  return { type: 'system' };
}

/**
 * Migrates one pending item in its own short transaction (the item row is locked first, so a second runner of
 * the same task skips it). A refusal (already migrated, revoked, …) marks the item failed with its code in a
 * second short transaction; an unexpected error propagates so the job is retried and nothing half-done commits.
 * @returns whether the item was finished by this call
 */
export async function runMigrationItem(
  services: AppServices,
  task: MigrationTaskRow,
  customerId: string,
  prepared?: PreparedSite,
): Promise<'succeeded' | 'failed' | 'skipped'> {
  const actor = taskActor(task);
  const input = {
    orgId: task.orgId,
    siteId: task.siteId,
    customerId,
    includeRevoked: task.includeRevoked === 'yes',
    confirmUnverifiedLink: task.confirmedLinks.includes(customerId),
    taskId: task.id,
    prepared,
  };
  try {
    // A huge history moves in chunks, each its own short transaction, before the finishing transaction below.
    const limit = migrationChunkRows(services);
    if (await needsChunkedMigration(services.db, customerId, limit)) {
      const started = await services.db.transaction(async (tx) => {
        const item = await claimTaskItem(tx, task.id, customerId);
        if (item?.status !== 'pending') return false;
        await startChunkedMigration(tx, services, actor, input);
        return true;
      });
      if (!started) return 'skipped';
      for (let cursor: RepointCursor | undefined; ; ) {
        await yieldToInteractiveWork(services);
        const moved = await moveChunk(services, task.id, customerId, limit, cursor);
        if (moved.rows === 0) break;
        cursor = moved.cursor;
      }
    }
    return await services.db.transaction(async (tx) => {
      const item = await claimTaskItem(tx, task.id, customerId);
      if (item?.status !== 'pending') return 'skipped';
      await migrateCustomer(tx, services, actor, {
        ...input,
        resumed: item.outcome ? { outcome: item.outcome, counts: item.counts } : undefined,
      });
      return 'succeeded';
    });
  } catch (error) {
    if (!isAppError(error, ...MIGRATION_REFUSALS)) throw error;
    await services.db.transaction((tx) =>
      finishTaskItem(tx, task.id, customerId, {
        status: 'failed',
        errorCode: error.code,
        errorMessage: error.message,
        accountId: typeof error.data?.accountId === 'string' ? error.data.accountId : null,
        finishedAt: services.clock.now(),
      }),
    );
    return 'failed';
  }
}

/**
 * Migrates a group of a task's customers as one set-based batch (`migrateCustomerBatch`); `endsTask` when the group
 * is every customer of the task, so that the batch's commit ends it too. When the batch fails
 * (a conflict with a concurrent change, say), it rolled back whole and every customer of it is left for one-by-one
 * migration, which records a refusal per customer or fails the job; a transient error is the caller's to retry.
 */
export async function runMigrationBatch(
  services: AppServices,
  task: MigrationTaskRow,
  prepared: PreparedSite,
  customerIds: string[],
  endsTask = false,
): Promise<BatchOutcome> {
  // A history past the chunk size migrates in chunks, never in a batch.
  const historyLimit = Math.min(BATCH_HISTORY_LIMIT, migrationChunkRows(services));
  try {
    return await services.db.transaction((tx) =>
      migrateCustomerBatch(tx, services, taskActor(task), task, prepared, customerIds, {
        historyLimit,
        endsTask,
      }),
    );
  } catch (error) {
    if (isTransient(error)) throw error;
    services.logger.warn(
      { taskId: task.id, err: error },
      'migration batch failed; migrating its customers one by one',
    );
    return { migrated: [], oneByOne: customerIds };
  }
}

/** Customers per batch transaction, unless `MIGRATION_BATCH_CUSTOMERS` says otherwise. */
const BATCH_CUSTOMERS = 50;
/** On PGlite while requests are being served: a batch of 5 holds the one connection for ≈25–50 ms, not ≈200. */
const BATCH_CUSTOMERS_BESIDE_REQUESTS = 5;

/**
 * Customers for the next batch transaction (see `MIGRATION_BATCH_CUSTOMERS`). PGlite's one connection serves no
 * request while a batch holds it, so there batches shrink while requests come in (one began within the last
 * second), and grow back when the server is quiet.
 */
export function migrationBatchCustomers(services: Pick<AppServices, 'config' | 'database'>): number {
  if (services.config.MIGRATION_BATCH_CUSTOMERS) return services.config.MIGRATION_BATCH_CUSTOMERS;
  return services.database.driver === 'pglite' && servingRequests(1000)
    ? BATCH_CUSTOMERS_BESIDE_REQUESTS
    : BATCH_CUSTOMERS;
}

/** Rows per table and chunk (see `MIGRATION_CHUNK_ROWS`). */
export function migrationChunkRows(services: Pick<AppServices, 'config' | 'database'>): number {
  return services.config.MIGRATION_CHUNK_ROWS ?? (services.database.driver === 'pglite' ? 500 : 1000);
}

/** Longest a migration steps aside for one stalled request before its next transaction. */
const MAX_YIELD_MS = 1000;

/**
 * Between two migration transactions on PGlite (one connection): lets the event loop accept waiting requests,
 * then waits for the requests in flight to end (not for new ones: a steady stream cannot starve the task), so
 * reads are never queued behind a chain of migration transactions. PostgreSQL serves requests on other
 * connections meanwhile and needs no pause.
 */
async function yieldToInteractiveWork(services: AppServices): Promise<void> {
  if (services.database.driver !== 'pglite') return;
  await new Promise((resolve) => setImmediate(resolve));
  await afterWorkInFlight(MAX_YIELD_MS);
}

/** Tasks a runner of this process is working on (a join that lands here passes the task on: `joinMigrationTask`). */
const runningHere = new Map<string, number>();

/** Below this many customers a task is not worth sharing with other worker processes. */
const SHARE_FROM = 200;

/**
 * Runs (or resumes) a migration task: marks it running, migrates the pending customers in set-based batches
 * (`migrateCustomerBatch`, each its own short transaction; what a batch leaves, one by one), honours a cancel
 * request between batches and customers, and finishes the task. Idempotent: a retried or duplicate run skips
 * finished items, and a finished task is left alone.
 *
 * On PostgreSQL a big task is shared: the first runner asks other worker processes to join
 * (`migration.share-task`); runners claim items with `SKIP LOCKED`, a joiner starting at a random position, so they
 * rarely meet. Each runner makes passes over the pending items until a pass migrates nothing (what is left is
 * held by another runner, which finishes it; if that runner dies, its job is retried).
 *
 * Final status: `cancelled` when a cancel stopped it; `failed` when no customer could be migrated (every item
 * refused); otherwise `succeeded`, with per-customer failures in the items.
 */
export async function runMigrationTask(
  services: AppServices,
  taskId: string,
  options: { join?: boolean } = {},
): Promise<'success' | 'skipped'> {
  const { db, clock } = services;
  const run = await startTaskRun(db, taskId, clock.now());
  if (!run) return 'skipped';
  const { task, started } = run;
  const prepared = await prepareSite(db, task.orgId, task.siteId);
  runningHere.set(taskId, (runningHere.get(taskId) ?? 0) + 1);
  try {
    const shared = services.database.driver === 'postgres' && task.total >= SHARE_FROM;
    // The first runner invites one other process; each process that joins invites the next.
    if (shared && (options.join || started)) await services.queue.enqueue('migration.share-task', { taskId });
    const from = options.join ? Math.floor(Math.random() * task.total) : 0;
    if (await migratePendingItems(services, task, prepared, from)) return 'success';
    return await finishTask(services, taskId);
  } finally {
    const left = (runningHere.get(taskId) ?? 1) - 1;
    if (left > 0) runningHere.set(taskId, left);
    else runningHere.delete(taskId);
  }
}

/**
 * `migration.share-task`: this worker process joins a running task. When a runner of this process already works
 * on it, the invitation is passed on (sent again a second later) so that it reaches another process; it ends
 * with the task.
 */
export async function joinMigrationTask(
  services: AppServices,
  taskId: string,
): Promise<'success' | 'skipped'> {
  const task = await findTask(services.db, taskId);
  if (task?.status !== 'running' || task.cancelRequestedAt) return 'skipped';
  if (runningHere.has(taskId)) {
    await services.queue.enqueue(
      'migration.share-task',
      { taskId },
      { startAfter: new Date(services.clock.now().getTime() + 1000) },
    );
    return 'skipped';
  }
  await runMigrationTask(services, taskId, { join: true });
  // 'success' = this process joined (whichever runner finished the task), 'skipped' = passed on or too late.
  return 'success';
}

/**
 * Passes over the task's pending items, from position `from` to the end and round to it, with a few lanes on
 * PostgreSQL (PGlite has one connection: one at a time). Another pass only when this one both migrated customers
 * and met items another runner held (they may have come free); it stops at a cancel or when the task ends.
 * A task whose pending customers all fit in one batch is ended by that batch's commit (a small task, the common
 * case, then costs no statement after it): returns whether that happened.
 */
async function migratePendingItems(
  services: AppServices,
  started: MigrationTaskRow,
  prepared: PreparedSite,
  from: number,
): Promise<boolean> {
  const { db } = services;
  let task: MigrationTaskRow | undefined = started;
  // The task was read as it started: the first cancel check is due CANCEL_CHECK_MS later.
  let checkedAt = Date.now();
  let stopped = false;
  const concurrency = services.database.driver === 'postgres' ? POSTGRES_CONCURRENCY : 1;

  let finished = 0;
  let held = 0;
  // A cancel is seen within CANCEL_CHECK_MS: re-reading the task before every customer would cost a query each.
  const stillRunning = async () => {
    if (Date.now() - checkedAt >= CANCEL_CHECK_MS) {
      checkedAt = Date.now();
      task = await findTask(db, started.id);
    }
    if (!task || task.cancelRequestedAt || task.status !== 'running') stopped = true;
    return !stopped;
  };
  const migrateOne = async (customerId: string) => {
    await yieldToInteractiveWork(services);
    const outcome = await withReconnect(() => runMigrationItem(services, task!, customerId, prepared));
    if (outcome === 'skipped') held++;
    else finished++;
  };
  let ended = false;
  const migrateGroup = async (customerIds: string[], endsTask: boolean) => {
    await yieldToInteractiveWork(services);
    const outcome = await withReconnect(() =>
      runMigrationBatch(services, task!, prepared, customerIds, endsTask),
    );
    if (outcome.taskEnded) ended = true;
    finished += outcome.migrated.length;
    held += customerIds.length - outcome.migrated.length - outcome.oneByOne.length;
    for (const customerId of outcome.oneByOne) {
      if (!(await stillRunning())) return;
      await migrateOne(customerId);
    }
  };
  /** `wholeTask`: these are all the task's pending items (the first page of a pass from 0, and a short one). */
  const migratePage = async (pending: Array<{ customerId: string }>, wholeTask: boolean): Promise<void> => {
    let next = 0;
    const lane = async () => {
      while (!stopped && next < pending.length) {
        // Each lane takes the next group as it goes: the batch size can change with the traffic.
        const from = next;
        next += migrationBatchCustomers(services);
        const group = pending.slice(from, next).map((i) => i.customerId);
        if (!(await stillRunning())) return;
        try {
          await migrateGroup(group, wholeTask && from === 0 && next >= pending.length);
        } catch (error) {
          stopped = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
  };

  for (let start = from; !stopped; start = 0) {
    // One pass: positions start…end, then 0…start-1.
    finished = 0;
    held = 0;
    for (const [low, high] of start > 0
      ? [
          [start, Infinity],
          [0, start],
        ]
      : [[0, Infinity]]) {
      const size = BATCH_CUSTOMERS * concurrency;
      for (let cursor = low!, more = true; more && !stopped; ) {
        const page = await listPendingItems(db, started.id, size, cursor);
        const pending = page.filter((i) => i.position < high!);
        // A short page was the last one (no second read to learn it).
        more = page.length === size && pending.length === page.length;
        if (pending.length === 0) break;
        const wholeTask = start === 0 && cursor === 0 && !more;
        cursor = pending.at(-1)!.position + 1;
        await migratePage(pending, wholeTask);
      }
    }
    if (ended || finished === 0 || held === 0) break;
  }
  return ended;
}

/**
 * SQLSTATEs and socket errors of a database that restarts or drops the connection, and of a deadlock with a
 * writer (the item rolled back; trying again is safe).
 */
const TRANSIENT = new Set([
  '40P01',
  '40001',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
]);

function isTransient(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT.has(code)) return true;
    if (e instanceof Error && /Connection terminated|not queryable|terminating connection/i.test(e.message))
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs one customer's transaction, retrying it while the database restarts (for up to a minute): the failed attempt
 * rolled back, so trying again is safe, and the task keeps going instead of waiting for pg-boss to notice.
 */
async function withReconnect<T>(run: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await run();
    } catch (error) {
      if (!isTransient(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function finishTask(services: AppServices, taskId: string): Promise<'success' | 'skipped'> {
  return (await finishTaskRun(services.db, taskId, services.clock.now())) ? 'success' : 'skipped';
}
