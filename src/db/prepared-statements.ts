import { createHash } from 'node:crypto';
import { toLiteral } from './inline-params.ts';

/**
 * Statements of at least this many characters with parameters are prepared: the request list, the session lookup,
 * the migration's set-based statements. Planning them can cost more than running them (the one-customer
 * re-pointing statement: ≈1.4 ms to plan, ≈1 ms to run).
 */
const PREPARE_FROM_CHARS = 300;
/** Statements one connection keeps prepared: each holds its plan in the server's memory for the connection's life. */
const MAX_PER_CONNECTION = 500;
/**
 * A prepared statement is prepared again after this long. A cached plan is replanned when statistics change
 * (ANALYZE), but a table that only grew keeps its plan until autovacuum analyzes it. The planner reads a table's
 * current size when it plans, so a plan is at most this stale.
 */
export const REPLAN_AFTER_MS = 30_000;

/** A statement that writes: INSERT, UPDATE or DELETE, alone or inside a WITH. */
const WRITES = /^\s*(insert|update|delete)\b|\b(insert\s+into|update\s+\S+\s+set|delete\s+from)\b/i;

/** What `PREPARE` takes (not EXPLAIN, SET, …). */
const PREPARABLE = /^\s*\(?\s*(select|insert|update|delete|with|values)\b/i;

/** Statement text → its name: the same text has the same name on every connection. */
const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `gh_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    // Texts vary with the size of a batch (one parameter per id): keep the map bounded.
    if (names.size >= 10_000) names.clear();
    names.set(text, name);
  }
  return name;
}

/**
 * The statements one connection has prepared. A long parameterized statement is prepared once per
 * connection (SQL `PREPARE`, named after its text) and then runs as `EXECUTE name('value', …)`. SQL-level, not the
 * protocol's named statements: a tenant's statement travels behind its `set_config` in one simple-protocol round
 * trip, which cannot carry a named statement. PostgreSQL plans the first five executions with their values, then
 * keeps one generic plan unless it estimates it costlier (`plan_cache_mode = auto`); the row-level-security policies
 * inside a plan read the tenant setting at every execution, so one plan serves every tenant. `PREPARE` is not
 * transactional: once it ran, the statement exists even if the transaction rolls back.
 *
 * On PGlite (one session) inside transactions and for writes (`scoped-pglite.ts`): PGlite never analyzes, so a
 * request's reads outside a transaction keep a plan made for their values.
 */
export class PreparedStatements {
  /** Statement (by the name of its text) → the name it is prepared under on this connection, and since when. */
  readonly #prepared = new Map<string, { name: string; at: number }>();
  #generation = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The `EXECUTE` that runs `text` with `values`, preparing it first through `prepare` when this connection has
   * not (or again, see `REPLAN_AFTER_MS`); undefined when the statement is not worth preparing or the connection
   * holds its most (run it as it is). `writesOnly`: a statement that only reads is not worth it either.
   */
  async executeText(
    text: string,
    values: readonly unknown[] | undefined,
    prepare: (statement: string) => Promise<unknown>,
    options: { writesOnly?: boolean } = {},
  ): Promise<string | undefined> {
    if (!values?.length || text.length < PREPARE_FROM_CHARS || !PREPARABLE.test(text)) return undefined;
    if (options.writesOnly && !WRITES.test(text)) return undefined;
    const key = nameOf(text);
    let current = this.#prepared.get(key);
    if (!current || this.now() - current.at > REPLAN_AFTER_MS) {
      if (!current && this.#prepared.size >= MAX_PER_CONNECTION) return undefined;
      // A replan prepares under a new name, then drops the old one: if the PREPARE fails, nothing changed (the old
      // statement still runs); no state exists where this map and the connection disagree.
      const name = `${key}_${++this.#generation}`;
      await prepare(
        current ? `prepare ${name} as ${text}; deallocate ${current.name}` : `prepare ${name} as ${text}`,
      );
      current = { name, at: this.now() };
      this.#prepared.set(key, current);
    }
    return `execute ${current.name}(${values.map(toLiteral).join(', ')})`;
  }
}
