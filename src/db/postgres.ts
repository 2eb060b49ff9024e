import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Database, Db } from './client.ts';
import { retryTransactionsOnConflict } from './retry-on-conflict.ts';
import * as schema from './schema/index.ts';
import { scopedPool } from './scoped-postgres.ts';

// Postgres bigint/numeric come back as strings by default; counts in this app fit in a JS number.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

/** Opens PostgreSQL through a pool. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // A dropped connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // The same for a checked-out client between two statements of a transaction (e.g. the server restarts): without
  // a listener its 'error' event would crash the process; the transaction's next statement fails and rolls back.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = retryTransactionsOnConflict(drizzle(scopedPool(pool), { schema }) as unknown as Db);
  return {
    driver: 'postgres',
    db,
    pool,
    url,
    async close() {
      await pool.end();
    },
  };
}
