import type { Db } from './client.ts';

/** Deadlock and serialization failure: PostgreSQL rolled the whole transaction back, so running it again is safe. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 4;

function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Makes `db.transaction` run its callback again when PostgreSQL picks it as a deadlock victim (e.g. a request
 * writing for a customer while that customer's migration locks the same rows in another order): the caller sees
 * the write succeed a few milliseconds later instead of a 500. Callbacks only touch the database (mail and jobs go
 * through the outbox and the queue in the same transaction), so a rolled-back attempt left nothing behind. Nested
 * transactions (savepoints, `tx.transaction`) are not retried on their own: the outermost one is.
 */
export function retryTransactionsOnConflict(db: Db): Db {
  const transaction = db.transaction.bind(db) as Db['transaction'];
  const retrying = (async (callback: never, config?: never) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await transaction(callback, config);
      } catch (error) {
        const state = sqlState(error);
        if (!state || !RETRYABLE.has(state) || attempt >= ATTEMPTS) throw error;
        // A short random pause so the two transactions do not meet in the same order again.
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
      }
    }
  }) as Db['transaction'];
  return Object.assign(db, { transaction: retrying });
}
