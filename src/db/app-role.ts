import type { Database } from './client.ts';
import { setUpEveryConnection } from './scoped-postgres.ts';
import { scopeStatement } from './tenant-scope.ts';

/** The role the application runs as (created by the row-level-security migration). */
export const APP_ROLE = 'gatehouse_app';

/**
 * Every connection of the app: the app role (not a superuser, owns no table, cannot bypass RLS), working as the
 * system by default; a tenant's scope overrides it per transaction (`scopedPool` / `scopedPglite`).
 */
const ENTER = `set role ${APP_ROLE}; ${scopeStatement({ kind: 'system' }, false)}`;

/** pg-boss' tables are created by its own start-up; use cases enqueue in their transaction as the app role. */
export const GRANT_QUEUE = `
do $$ begin
  if exists (select 1 from pg_namespace where nspname = 'pgboss') then
    grant usage on schema pgboss to ${APP_ROLE};
    grant select, insert, update, delete on all tables in schema pgboss to ${APP_ROLE};
    grant usage, select, update on all sequences in schema pgboss to ${APP_ROLE};
    grant execute on all functions in schema pgboss to ${APP_ROLE};
    alter default privileges in schema pgboss grant select, insert, update, delete on tables to ${APP_ROLE};
  end if;
end $$`;

/**
 * Switches the app's connections to the app role, after migrations and pg-boss' set-up ran as the owner.
 * PGlite: its one connection (pg-boss shares it, so it is granted its tables). PostgreSQL: every pooled connection,
 * once, before its first query; pg-boss keeps its own pool as the owner (its tables carry no tenant).
 */
export async function enterAppRole(database: Database): Promise<void> {
  if (database.pglite) {
    await database.pglite.exec(GRANT_QUEUE);
    await database.pglite.exec(ENTER);
    return;
  }
  if (!database.pool) return;
  await database.pool.query(GRANT_QUEUE);
  setUpEveryConnection(database.pool, ENTER);
}
