import { sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { fromDrizzle } from 'pg-boss';
import type { Executor } from '#src/db/client.ts';
import { JOB_RETRY, type JobName, type JobPayloads } from './definitions/index.ts';

export type { JobName, JobPayloads } from './definitions/index.ts';

export interface EnqueueOptions {
  /**
   * The caller's transaction: the job row is written in it, so it exists only if the change commits
   * (the queue is an outbox). On PGlite this is required inside a transaction: a plain send would wait
   * for the transaction to end, and the transaction waits for the send.
   */
  tx?: Executor;
  /** Deduplicate: only one queued or active job per key. */
  singletonKey?: string;
  /** Do not start before this time. */
  startAfter?: Date;
}

/** The one seam between the domain and pg-boss. */
export interface Queue {
  /**
   * Resolves when jobs can be sent (pg-boss runs). A warm start serves before it does; the HTTP edge holds writes
   * until then (see `createApp`), so no transaction ever waits for the queue to start.
   */
  readonly started: Promise<unknown>;
  enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options?: EnqueueOptions,
  ): Promise<string | null>;
}

/**
 * A queue backed by pg-boss. `started` resolves when pg-boss runs (a server may serve before it does: see `boot`).
 * A job sent earlier waits for it, except inside a transaction on PGlite, where it is refused at once.
 */
export function createPgBossQueue(
  boss: PgBoss,
  started: Promise<unknown> = Promise.resolve(),
  driver: 'pglite' | 'postgres' = 'postgres',
): Queue {
  let running = false;
  started.then(
    () => (running = true),
    () => {},
  );
  /** The connection pg-boss writes through: the caller's transaction, once the queue runs. */
  const connection = async (name: JobName, tx: Executor | undefined) => {
    // PGlite: the queue's start needs the connection this transaction holds; waiting here would never end.
    if (!running && tx && driver === 'pglite')
      throw new Error(
        `queue.enqueue('${name}') inside a transaction before the job queue runs: await queue.started before the transaction`,
      );
    await started;
    return tx ? fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql as never) : undefined;
  };
  return {
    started,
    async enqueue(name, payload, options = {}) {
      const db = await connection(name, options.tx);
      return boss.send(name, payload as object, {
        ...JOB_RETRY[name],
        singletonKey: options.singletonKey,
        startAfter: options.startAfter,
        db,
      });
    },
  };
}
