import {
  cancelPendingItems,
  countTaskItems,
  finishTaskItem,
  listPendingItems,
  lockTaskItem,
} from '#src/db/queries/migration/migration-task-items.queries.ts';
import {
  findTask,
  lockTask,
  type MigrationTaskRow,
  updateTask,
} from '#src/db/queries/migration/migration-tasks.queries.ts';
import { needsChunkedMigration, type RepointCursor } from '#src/db/queries/migration/repoint.queries.ts';
import { isAppError } from '#src/shared/errors.ts';
import { afterWorkInFlight } from '#src/shared/interactive-work.ts';
import { type Actor, ZStoredActor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { MIGRATION_REFUSALS, migrateCustomer, type PreparedSite, prepareSite } from './migrate-customer.ts';
import { moveChunk, startChunkedMigration } from './migrate-customer-in-chunks.ts';

/** Items read per round trip; each is still migrated in its own transaction. */
const BATCH = 100;
/** Customers migrated side by side on PostgreSQL (PGlite: one at a time). */
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
        const item = await lockTaskItem(tx, task.id, customerId);
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
      const item = await lockTaskItem(tx, task.id, customerId);
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

/**
 * Runs (or resumes) a migration task: marks it running, migrates the pending customers one by one (each in its
 * own transaction, never one long transaction), honours a cancel request between customers, and finishes the
 * task. Idempotent: a retried or duplicate run skips finished items, and a finished task is left alone.
 *
 * Final status: `cancelled` when a cancel stopped it; `failed` when no customer could be migrated (every item
 * refused); otherwise `succeeded`, with per-customer failures in the items.
 */
export async function runMigrationTask(
  services: AppServices,
  taskId: string,
): Promise<'success' | 'skipped'> {
  const { db, clock } = services;
  const started = await db.transaction(async (tx) => {
    const task = await lockTask(tx, taskId);
    if (!task || task.status === 'succeeded' || task.status === 'failed' || task.status === 'cancelled')
      return undefined;
    if (task.status === 'queued') {
      await updateTask(tx, task.id, { status: 'running', startedAt: clock.now() });
    }
    return task;
  });
  if (!started) return 'skipped';
  const prepared = await db.transaction((tx) => prepareSite(tx, started.orgId, started.siteId));
  let task: MigrationTaskRow | undefined = { ...started, status: 'running' };
  let checkedAt = 0;

  // PostgreSQL has connections to spare: a few customers migrate side by side (each still in its own transaction;
  // distinct customers lock distinct rows). PGlite has one connection, so it runs them one after another.
  const concurrency = services.database.driver === 'postgres' ? POSTGRES_CONCURRENCY : 1;
  for (;;) {
    const pending = await listPendingItems(db, taskId, BATCH);
    if (pending.length === 0) break;
    let next = 0;
    let stopped = false;
    const lane = async () => {
      while (!stopped && next < pending.length) {
        const item = pending[next++]!;
        // A cancel is seen within CANCEL_CHECK_MS: re-reading the task before every customer would cost a query each.
        if (Date.now() - checkedAt >= CANCEL_CHECK_MS) {
          checkedAt = Date.now();
          task = await findTask(db, taskId);
        }
        if (!task || task.cancelRequestedAt || task.status !== 'running') {
          stopped = true;
          return;
        }
        try {
          await yieldToInteractiveWork(services);
          await withReconnect(() => runMigrationItem(services, task!, item.customerId, prepared));
        } catch (error) {
          stopped = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    if (stopped) return finishTask(services, taskId);
  }
  return finishTask(services, taskId);
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
  return services.db.transaction(async (tx) => {
    const task = await lockTask(tx, taskId);
    if (task?.status !== 'running') return 'skipped';
    const now = services.clock.now();
    if (task.cancelRequestedAt) {
      await cancelPendingItems(tx, taskId, now);
      await updateTask(tx, taskId, { status: 'cancelled', finishedAt: now });
      return 'success';
    }
    const { byStatus: counts } = await countTaskItems(tx, taskId);
    if ((counts.pending ?? 0) > 0) return 'skipped';
    const status = (counts.succeeded ?? 0) === 0 && (counts.failed ?? 0) > 0 ? 'failed' : 'succeeded';
    await updateTask(tx, taskId, { status, finishedAt: now });
    return 'success';
  });
}
