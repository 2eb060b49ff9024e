import type { Executor } from './client.ts';

/**
 * A statement whose SQL Drizzle builds once per executor (the database, or one transaction) rather than on every
 * call. Building a select is CPU in the app's one thread: 190–260 µs for each statement of a cookie-authenticated
 * read (the session, the site with its customer, the request, its people), which is more than the round trip
 * itself on a quiet PostgreSQL. Values go in as `sql.placeholder('name')` and are given to `execute`.
 *
 * Only for statements of a fixed shape, such as the lookups every authenticated request makes. A condition built
 * from the caller (a visibility rule, a filter) changes the SQL and is built per call as usual. The name is
 * Drizzle's; the drivers ignore it (`scoped-postgres.ts` prepares long statements itself).
 */
export function builtOnce<Q>(build: (db: Executor) => Q): (db: Executor) => Q {
  const built = new WeakMap<Executor, Q>();
  return (db) => {
    let query = built.get(db);
    if (query === undefined) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
