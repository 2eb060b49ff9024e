import { getTableColumns, sql, type Table } from 'drizzle-orm';

/** The rows of a raw `db.execute` result (node-postgres and PGlite both answer `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * A raw row (snake_case columns, driver values) as Drizzle would return it from `select().from(table)`: each
 * column read through its own mapping (timestamps become Dates). For statements Drizzle cannot build, such as
 * several data-modifying CTEs in one round trip.
 */
export function tableRowOf<T extends Table>(table: T, raw: Record<string, unknown>): T['$inferSelect'] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}

/** Rows as ONE jsonb parameter, for `jsonb_to_recordset` (a statement over a batch, whatever its size). */
export function jsonRows(rows: unknown[]) {
  return sql`${JSON.stringify(rows)}::jsonb`;
}

/** A count as the drivers return it (bigint as a string on PostgreSQL, a number on PGlite; null when absent). */
export const toInt = (value: unknown) => Number(value ?? 0);
