import { createHash } from 'node:crypto';
import { toLiteral } from './inline-params.ts';

/**
 * Statements of at least this many characters with parameters are prepared: the request list, the session lookup,
 * the migration's set-based statements. Planning them cost more than running them (the request list on
 * PostgreSQL: ≈1.4 ms of planning per call; the one-customer re-pointing statement: ≈1.4 ms to plan, ≈1 ms to run).
 */
const PREPARE_FROM_CHARS = 300;
/** Statements one connection keeps prepared: each holds its plan in the server's memory for the connection's life. */
const MAX_PER_CONNECTION = 500;

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
 * The statements one connection has prepared. A long parameterized statement is prepared once per connection
 * (SQL `PREPARE`, named after its text) and then runs as `EXECUTE name('value', …)`, planned once instead of at
 * every call. SQL-level, not the protocol's named statements: PGlite's API has none, and on PostgreSQL a tenant's
 * statement travels behind its `set_config` in one simple-protocol round trip, which cannot carry a named
 * statement either. Plans are generic (`plan_cache_mode = force_generic_plan`, set with the app role), and the
 * row-level-security policies inside them read the tenant setting at every execution, so one plan serves every
 * tenant. `PREPARE` is not transactional: once it ran, the statement exists even if the transaction rolls back.
 */
export class PreparedStatements {
  readonly #prepared = new Set<string>();

  /**
   * The `EXECUTE` that runs `text` with `values`, preparing it first through `prepare` when this connection has
   * not; undefined when the statement is not worth preparing or the connection holds its most (run it as it is).
   */
  async executeText(
    text: string,
    values: readonly unknown[] | undefined,
    prepare: (statement: string) => Promise<unknown>,
  ): Promise<string | undefined> {
    if (!values?.length || text.length < PREPARE_FROM_CHARS || !PREPARABLE.test(text)) return undefined;
    const name = nameOf(text);
    if (!this.#prepared.has(name)) {
      if (this.#prepared.size >= MAX_PER_CONNECTION) return undefined;
      await prepare(`prepare ${name} as ${text}`);
      this.#prepared.add(name);
    }
    return `execute ${name}(${values.map(toLiteral).join(', ')})`;
  }
}

/** Set on every connection with the app role: prepared statements are planned once (see `PreparedStatements`). */
export const GENERIC_PLANS = 'set plan_cache_mode = force_generic_plan';
