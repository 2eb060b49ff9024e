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
  enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options?: EnqueueOptions,
  ): Promise<string | null>;
}

/**
 * A queue backed by pg-boss. `started` resolves when pg-boss runs (a PostgreSQL server may serve before it does:
 * see `boot`); a job sent earlier waits for it.
 */
export function createPgBossQueue(boss: PgBoss, started: Promise<unknown> = Promise.resolve()): Queue {
  return {
    async enqueue(name, payload, options = {}) {
      await started;
      const db = options.tx
        ? fromDrizzle(options.tx as unknown as Parameters<typeof fromDrizzle>[0], sql as never)
        : undefined;
      return boss.send(name, payload as object, {
        ...JOB_RETRY[name],
        singletonKey: options.singletonKey,
        startAfter: options.startAfter,
        db,
      });
    },
  };
}
