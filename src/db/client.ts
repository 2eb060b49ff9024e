import type { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The Drizzle database, the same type on PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** An open transaction. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a query can run on: the database or a transaction. Queries take this as their first argument. */
export type Executor = Db | Tx;

/** An open database with its driver handle, so pg-boss can share the same connection(s). */
export interface Database {
  driver: 'pglite' | 'postgres';
  db: Db;
  /** Set on the embedded driver: the one PGlite instance (one connection). */
  pglite?: PGlite;
  /** Set on the PostgreSQL driver. */
  pool?: pg.Pool;
  /** Connection string on the PostgreSQL driver (pg-boss opens its own pool). */
  url?: string;
  close(): Promise<void>;
}
