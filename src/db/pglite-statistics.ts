import type { PGlite } from '@electric-sql/pglite';
import { APP_ROLE } from './app-role.ts';

/**
 * Tables whose statistics are missing or stale: never analyzed, or grown by more than a fifth (plus 8 pages) since
 * the last ANALYZE recorded their size. PGlite keeps no activity counters (`pg_stat_user_tables` stays at zero),
 * so the size on disk is the signal; updates count too, as PGlite never vacuums their old row versions away.
 */
const STALE_TABLES = `
  select c.oid::regclass::text as name
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname in ('public', 'pgboss') and c.relkind in ('r', 'p')
    and pg_relation_size(c.oid) >= 8 * current_setting('block_size')::int
    and (c.reltuples < 0
      or pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.2 + 8)
  order by pg_relation_size(c.oid)`;

/**
 * PGlite runs no autovacuum, so nothing refreshes the planner's statistics as tables fill: a table written after
 * its last ANALYZE (a history imported, a migration re-pointing thousands of rows) keeps the estimates of its
 * smaller self and plans go wrong. Measured: reads took p50 0.84–0.88 s instead of 43–64 ms while a freshly
 * imported 1,000-request customer migrated, and the migration 2.6–2.7 s instead of 0.38–0.44 s, until an ANALYZE
 * ran first. This does autovacuum's auto-analyze: ANALYZE each stale table, smallest first, calling `between`
 * before each (to let requests in: PGlite has one connection).
 *
 * ANALYZE needs the tables' owner: each runs as `reset role; …; set role <app role>` in ONE call, an implicit
 * transaction, so a failure rolls the role switch back with it and the app role is never left behind.
 * @returns the tables analyzed
 */
export async function analyzeStaleTables(pglite: PGlite, between: () => Promise<void>): Promise<string[]> {
  const results = await pglite.exec(`reset role; ${STALE_TABLES}; set role ${APP_ROLE};`);
  const names = (results[1]?.rows ?? []).map((row) => String((row as { name: unknown }).name));
  for (const name of names) {
    await between();
    await pglite.exec(`reset role; analyze ${name}; set role ${APP_ROLE};`);
  }
  return names;
}

/**
 * Runs `analyzeStaleTables` every `everyMs` (never two at once) until the returned function is called: the
 * auto-analyze of an embedded database. Failures go to `onError` and the next round tries again.
 */
export function keepStatisticsFresh(
  pglite: PGlite,
  options: { everyMs: number; between: () => Promise<void>; onError: (error: unknown) => void },
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    analyzeStaleTables(pglite, options.between)
      .catch(options.onError)
      .finally(() => {
        running = false;
      });
  }, options.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
