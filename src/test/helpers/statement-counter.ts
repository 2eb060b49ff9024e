import type { PGlite, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';
import { expect } from 'vitest';
import { APP_ROLE } from '#src/db/app-role.ts';
import type { Database } from '#src/db/client.ts';

/**
 * What one piece of work sent to the database, counted at the driver (the `pg` clients of the app's pool, or the
 * PGlite instance), so the numbers are the same on both drivers and include what Drizzle adds (BEGIN, COMMIT).
 */
export interface StatementCount {
  /** Calls that went to the server and back: every statement, BEGIN, COMMIT and ROLLBACK included. */
  roundTrips: number;
  /** Transactions opened (BEGIN). */
  transactions: number;
  /** The SQL text of every round trip, in order (BEGIN/COMMIT included), for the failure message. */
  log: string[];
}

export interface StatementCounter {
  /** Runs `work` and returns what it sent to the database, with its result. */
  count<T>(work: () => Promise<T>): Promise<StatementCount & { result: T }>;
}

const WRAPPED = Symbol('gatehouse.statementCounter');
type Tagged = { [WRAPPED]?: true };

function textOf(query: unknown): string {
  if (typeof query === 'string') return query;
  if (query && typeof query === 'object' && 'text' in query) return String((query as { text: unknown }).text);
  return String(query);
}

/**
 * Counts what the app's database handle sends. Install once per database (the wrappers stay for its life; they
 * only count while `count()` runs). Not counted: pg-boss's own upkeep (on PostgreSQL it has its own pool; on
 * PGlite its statements outside a transaction mention `pgboss`), which runs on timers unrelated to the
 * work measured. A job enqueued in the caller's transaction goes through Drizzle and is counted on both drivers.
 */
export function statementCounter(database: Database): StatementCounter {
  let active: string[] | undefined;
  const record = (text: string) => {
    const statement = text.replace(/\s+/g, ' ').trim();
    // A pooled connection takes the app role once, before its first query (`enterAppRole`): a cost of opening a
    // connection, not of the request measured, and it depends on how many connections the pool happens to hold.
    if (statement.startsWith(`set role ${APP_ROLE};`)) return;
    // Likewise a statement is prepared once per connection (`PreparedStatements`), then only executed.
    if (statement.startsWith('prepare gh_')) return;
    active?.push(statement);
  };

  if (database.pool) instrumentPool(database.pool, record);
  else if (database.pglite) instrumentPglite(database.pglite, record);
  else throw new Error('statementCounter: the database has neither a pool nor a PGlite instance');

  return {
    async count(work) {
      if (active) throw new Error('statementCounter: count() calls must not overlap');
      const log: string[] = [];
      active = log;
      try {
        const result = await work();
        return {
          result,
          roundTrips: log.length,
          transactions: log.filter((text) => /^begin\b/i.test(text)).length,
          log,
        };
      } finally {
        active = undefined;
      }
    },
  };
}

/** Wraps `query` of every client the pool hands out (`pool.query` goes through `connect` too). */
function instrumentPool(pool: pg.Pool, record: (text: string) => void): void {
  const target = pool as pg.Pool & Tagged;
  if (target[WRAPPED]) return;
  target[WRAPPED] = true;
  const wrapClient = (client: pg.PoolClient | undefined) => {
    const tagged = client as (pg.PoolClient & Tagged) | undefined;
    if (!tagged || tagged[WRAPPED]) return;
    tagged[WRAPPED] = true;
    const original = tagged.query.bind(tagged) as (...args: unknown[]) => unknown;
    (tagged as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      record(textOf(args[0]));
      return original(...args);
    };
  };
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { connect: (...args: unknown[]) => unknown }).connect = (...args: unknown[]) => {
    const callback = args[0] as
      | ((error: Error | undefined, client: pg.PoolClient | undefined, done: unknown) => void)
      | undefined;
    if (typeof callback === 'function') {
      return connect((error: Error | undefined, client: pg.PoolClient | undefined, done: unknown) => {
        wrapClient(client);
        callback(error, client, done);
      });
    }
    return (connect() as Promise<pg.PoolClient>).then((client) => {
      wrapClient(client);
      return client;
    });
  };
}

/** Wraps the PGlite instance's `query`, `exec` and `transaction` (counting the BEGIN and COMMIT it runs inside). */
function instrumentPglite(pglite: PGlite, record: (text: string) => void): void {
  const target = pglite as PGlite & Tagged;
  if (target[WRAPPED]) return;
  target[WRAPPED] = true;
  const outside = (text: string) => {
    if (!/pgboss/i.test(text)) record(text);
  };
  const query = pglite.query.bind(pglite);
  const exec = pglite.exec.bind(pglite);
  const transaction = pglite.transaction.bind(pglite);
  pglite.query = ((text: string, ...rest: unknown[]) => {
    outside(text);
    return (query as (...args: unknown[]) => unknown)(text, ...rest);
  }) as PGlite['query'];
  pglite.exec = ((text: string, ...rest: unknown[]) => {
    outside(text);
    return (exec as (...args: unknown[]) => unknown)(text, ...rest);
  }) as PGlite['exec'];
  pglite.transaction = (<T>(callback: (tx: Transaction) => Promise<T>) =>
    transaction(async (tx) => {
      record('BEGIN');
      const counted: Transaction = Object.create(tx, {
        // Writable and configurable: the tenant-scope proxy (src/db/scoped-pglite.ts) wraps this object.
        query: {
          writable: true,
          configurable: true,
          value: (text: string, ...rest: unknown[]) => {
            record(text);
            return (tx.query as (...args: unknown[]) => unknown)(text, ...rest);
          },
        },
        exec: {
          writable: true,
          configurable: true,
          value: (text: string, ...rest: unknown[]) => {
            record(text);
            return (tx.exec as (...args: unknown[]) => unknown)(text, ...rest);
          },
        },
        rollback: {
          writable: true,
          configurable: true,
          value: () => {
            record('ROLLBACK');
            return tx.rollback();
          },
        },
      });
      try {
        const result = await callback(counted);
        if (!tx.closed) record('COMMIT');
        return result;
      } catch (error) {
        if (!tx.closed) record('ROLLBACK');
        throw error;
      }
    })) as PGlite['transaction'];
}

/** What a hot path may send at most: round trips (statements + BEGIN/COMMIT) and transactions. */
export interface StatementBudget {
  roundTrips: number;
  transactions: number;
}

/**
 * A hot path's budget on this driver: PostgreSQL's as written; on PGlite, whose one session carries the tenant
 * scope as a session setting (`src/db/scoped-pglite.ts`), up to two more in-process statements — the switch to
 * the request's tenant and the one back to the system that authentication needs.
 */
export function onDriver(database: Database, postgres: StatementBudget): StatementBudget {
  return database.driver === 'pglite' ? { ...postgres, roundTrips: postgres.roundTrips + 2 } : postgres;
}

/** Fails when the measured work went over its budget; the message lists every statement it sent. */
export function expectWithinBudget(measured: StatementCount, budget: StatementBudget): void {
  const detail = `${measured.roundTrips} round trips, ${measured.transactions} transactions:\n  ${measured.log.join('\n  ')}`;
  // BUDGET_REPORT=1 prints every measured path (to lower a budget after an optimization).
  if (process.env.BUDGET_REPORT) process.stdout.write(`[budget ${budget.roundTrips}] ${detail}\n`);
  expect(measured.roundTrips, detail).toBeLessThanOrEqual(budget.roundTrips);
  expect(measured.transactions, detail).toBeLessThanOrEqual(budget.transactions);
}
