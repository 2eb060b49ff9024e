import { createHash } from 'node:crypto';
import type pg from 'pg';
import { inlineParams } from './inline-params.ts';
import { currentScope, SYSTEM_KEY, scopeKey, scopeStatement } from './tenant-scope.ts';

type QueryConfig = { text: string; values?: unknown[]; name?: string; rowMode?: string; types?: unknown };
type Send = (config: QueryConfig) => Promise<pg.QueryResult>;

/**
 * Long statements with parameters (the migration's set-based statements, say) are planned once per connection, not
 * at every call: they go as named prepared statements, named after their text. Planning one of them costs more than
 * running it for a small batch (the one-customer re-pointing statement: ≈1.4 ms to plan, ≈1 ms to run).
 */
const PREPARE_FROM_CHARS = 1000;
const statementNames = new Map<string, string>();

function prepared(config: QueryConfig): QueryConfig {
  if (config.name || !config.values?.length || config.text.length < PREPARE_FROM_CHARS) return config;
  let name = statementNames.get(config.text);
  if (!name) {
    name = `gh_${createHash('sha1').update(config.text).digest('hex').slice(0, 20)}`;
    // Texts vary with the size of a batch (one parameter per id): keep the map bounded.
    if (statementNames.size >= 1000) statementNames.clear();
    statementNames.set(config.text, name);
  }
  return { ...config, name };
}

const sender =
  (client: pg.PoolClient): Send =>
  (config) =>
    client.query(prepared(config) as pg.QueryConfig);

/**
 * One query at a time on a transaction's client: statements a use case sends side by side inside a transaction
 * (`Promise.all` of reads on `tx`) wait their turn here, in the order they were sent. pg queues them itself
 * today, but warns that pg@9 will refuse a query while another runs on the same client.
 */
function serialSender(client: pg.PoolClient): Send {
  const send = sender(client);
  let previous: Promise<unknown> = Promise.resolve();
  return (config) => {
    const result = previous.then(() => send(config));
    previous = result.catch(() => {});
    return result;
  };
}

function asConfig(config: unknown, values: unknown[] | undefined): QueryConfig {
  const base = typeof config === 'string' ? { text: config } : { ...(config as QueryConfig) };
  return { ...base, values: values ?? base.values ?? [] };
}

/**
 * Sends the scope's `set_config` with `config` as one simple-protocol query (one round trip): after a BEGIN, before
 * anything else. Returns the result of `config`.
 */
async function sendWithSetting(send: Send, setting: string, config: QueryConfig): Promise<pg.QueryResult> {
  const { values = [], name: _name, ...rest } = config;
  const statement = inlineParams(config.text, values);
  const begins = /^\s*begin\b/i.test(statement);
  const results = (await send({
    ...rest,
    text: begins ? `${statement}; ${setting}` : `${setting}; ${statement}`,
  })) as unknown as pg.QueryResult[];
  return results[begins ? 0 : results.length - 1] as pg.QueryResult;
}

/** Per pool: what every connection runs once before its first query (the app role, see `enterAppRole`). */
const sessionSetups = new WeakMap<pg.Pool, string>();
const setUpClients = new WeakSet<pg.PoolClient>();
/** What a client's open transaction is scoped to (absent: no transaction open). */
const transactionKeys = new WeakMap<pg.PoolClient, string>();

/** From now on every connection of `pool` runs `statement` once before its first query through `scopedPool`. */
export function setUpEveryConnection(pool: pg.Pool, statement: string): void {
  sessionSetups.set(pool, statement);
}

/**
 * One query on a checked-out client. A transaction is scoped at BEGIN (the scope's `set_config(…, true)` in the
 * same round trip); a statement of another scope inside it (e.g. `asSystem` nested in a tenant's use case) re-sets
 * it first. Outside a transaction, a tenant's (or nobody's) statement goes behind its `set_config(…, true)`: a
 * multi-statement query runs as one implicit transaction, so the setting ends with it. System statements pass
 * through: the system is the session's default.
 */
function sendScoped(client: pg.PoolClient, send: Send, config: QueryConfig): Promise<pg.QueryResult> {
  const scope = currentScope();
  const key = scopeKey(scope);
  const verb = config.text.trimStart().slice(0, 8).toLowerCase();
  const open = transactionKeys.get(client);
  if (verb.startsWith('begin')) transactionKeys.set(client, key);
  else if (verb.startsWith('commit') || verb.startsWith('rollback')) {
    transactionKeys.delete(client);
    return send(config);
  } else if (open !== undefined) {
    if (open === key) return send(config);
    transactionKeys.set(client, key);
  }
  if (key === SYSTEM_KEY && (open === undefined || verb.startsWith('begin'))) return send(config);
  return sendWithSetting(send, scopeStatement(scope, true), config);
}

/**
 * The pool Drizzle uses: every query and transaction in the scope of the current async flow (`tenant-scope.ts`).
 * pg-boss keeps a pool of its own, untouched.
 */
export function scopedPool(pool: pg.Pool): pg.Pool {
  const checkout = async (): Promise<pg.PoolClient> => {
    const client = await pool.connect();
    const setup = sessionSetups.get(pool);
    if (setup && !setUpClients.has(client)) {
      try {
        await client.query(setup);
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
      setUpClients.add(client);
    }
    return client;
  };
  const query = async (config: unknown, values?: unknown[]) => {
    const client = await checkout();
    try {
      const result = await sendScoped(client, sender(client), asConfig(config, values));
      client.release();
      return result;
    } catch (error) {
      // As pg-pool's own `pool.query`: a client that failed a query is not reused.
      client.release(error as Error);
      throw error;
    }
  };
  const connect = async () => {
    const client = await checkout();
    const send = serialSender(client);
    // Drizzle's transaction runs on this client (BEGIN … COMMIT).
    return new Proxy(client, {
      get(target, property) {
        if (property === 'query')
          return (config: unknown, values?: unknown[]) => sendScoped(target, send, asConfig(config, values));
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  return new Proxy(pool, {
    get(target, property) {
      if (property === 'query') return query;
      if (property === 'connect') return connect;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
