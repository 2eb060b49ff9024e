import type pg from 'pg';
import { inlineParams } from './inline-params.ts';
import { PreparedStatements } from './prepared-statements.ts';
import { currentScope, SYSTEM_KEY, scopeKey, scopeStatement } from './tenant-scope.ts';

type QueryConfig = { text: string; values?: unknown[]; name?: string; rowMode?: string; types?: unknown };
type Send = (config: QueryConfig) => Promise<pg.QueryResult>;

const sender =
  (client: pg.PoolClient): Send =>
  (config) =>
    client.query(config as pg.QueryConfig);

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

/**
 * Drizzle's query as one config. A statement name Drizzle gives (`builtOnce`) is dropped: pg would make it a
 * protocol-level prepared statement, which cannot ride behind a `set_config`; long statements are prepared here.
 */
function asConfig(config: unknown, values: unknown[] | undefined): QueryConfig {
  const { name: _name, ...base } = typeof config === 'string' ? { text: config } : (config as QueryConfig);
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

/** The statements each connection has prepared (see `PreparedStatements`). */
const preparedOn = new WeakMap<pg.PoolClient, PreparedStatements>();

/** `config` as the `EXECUTE` of its prepared statement on this connection, when it is worth preparing. */
async function asPrepared(client: pg.PoolClient, send: Send, config: QueryConfig): Promise<QueryConfig> {
  let prepared = preparedOn.get(client);
  if (!prepared) {
    prepared = new PreparedStatements();
    preparedOn.set(client, prepared);
  }
  const text = await prepared.executeText(config.text, config.values, (statement) =>
    send({ text: statement }),
  );
  return text ? { ...config, text, values: [] } : config;
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
async function sendScoped(client: pg.PoolClient, send: Send, query: QueryConfig): Promise<pg.QueryResult> {
  const scope = currentScope();
  const config = await asPrepared(client, send, query);
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
