import type { PGlite, Transaction } from '@electric-sql/pglite';
import { PreparedStatements } from './prepared-statements.ts';
import { currentScope, SYSTEM_KEY, scopeKey, scopeStatement, type TenantScope } from './tenant-scope.ts';

type Query = PGlite['query'];

/**
 * A transaction that sets its scope before its first statement that needs another scope than the one it starts
 * in (`startKey`: the session's), and again when a statement of another scope runs in it (e.g. `asSystem` nested
 * in a tenant's use case). `set_config(…, true)`: the setting ends with the transaction.
 *
 * Its long statements run prepared (`PreparedStatements`, as on PostgreSQL): the writes of a migration batch or of
 * its start take their rows as parameters a plan cannot look into (one jsonb of the whole batch), and PGlite
 * planned them anew at every run (a one-request customer's task, API → done: 27.8 and 28.6 ms unprepared, 21.7 and
 * 21.7 ms prepared, `BENCH_MIGRATION_FIXED_ROUNDS=25 npm run bench -- migration.bench --driver=pglite`).
 */
function scopedTransaction(tx: Transaction, startKey: string, prepared: PreparedStatements): Transaction {
  let applied = startKey;
  const sync = async () => {
    const scope = currentScope();
    const key = scopeKey(scope);
    if (key === applied) return;
    await tx.exec(scopeStatement(scope, true));
    applied = key;
  };
  // One statement at a time, each behind its own scope: statements sent side by side (`Promise.all` on `tx`) in
  // different scopes would otherwise run between another one's scope switch and its statement.
  let previous: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const result = previous.then(async () => {
      await sync();
      return run();
    });
    previous = result.catch(() => {});
    return result;
  };
  return new Proxy(tx, {
    get(target, property) {
      if (property === 'query')
        return (...[text, values, options]: Parameters<Query>) =>
          inTurn(async () => {
            const execute = await prepared.executeText(text, values, (statement) => target.exec(statement));
            return execute ? target.query(execute, [], options) : target.query(text, values, options);
          });
      if (property === 'exec')
        return (...args: Parameters<PGlite['exec']>) => inTurn(() => target.exec(...args));
      return Reflect.get(target, property, target);
    },
  });
}

/**
 * The PGlite handle Drizzle uses (pg-boss keeps the raw one). PGlite is one in-process session, so the scope is a
 * session setting, changed only when a statement of another scope comes: a request's statements (all in its
 * tenant) cost one `set_config` for the lot, not a BEGIN/set/COMMIT each. The setting and the statement it guards
 * run back to back under one lock (no other scoped statement between them); transactions start in the session's
 * scope and re-scope locally when needed. The raw handle's statements (pg-boss) touch no tenant table.
 *
 * Long statements run prepared inside transactions (`scopedTransaction`) and, outside one, when they write (a
 * login's two statements: 4.6–4.8 ms of the main thread per login unprepared, 2.9–3.2 prepared). A read outside a
 * transaction keeps a plan made for its values: PGlite never analyzes, and with every read prepared a
 * 10,000-request customer took 29.5 s to migrate instead of 0.8 s, and the reads beside it 11.6 s at p50
 * (`BENCH_LIVE_SIZES=1000,10000 npm run bench -- migration-live --driver=pglite`).
 */
export function scopedPglite(pglite: PGlite): PGlite {
  let sessionKey = SYSTEM_KEY;
  // PGlite is one session: its statements are prepared once for the database's life.
  const prepared = new PreparedStatements();
  let tail: Promise<unknown> = Promise.resolve();
  // PGlite serializes its own calls too; this lock only keeps each setting and its statement together.
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
  const enter = async (scope: TenantScope) => {
    const key = scopeKey(scope);
    if (key === sessionKey) return;
    await pglite.exec(scopeStatement(scope, false));
    sessionKey = key;
  };
  return new Proxy(pglite, {
    get(target, property) {
      if (property === 'query')
        return (...args: Parameters<Query>) => {
          const scope = currentScope();
          return exclusive(async () => {
            await enter(scope);
            const [text, values, options] = args;
            const execute = await prepared.executeText(text, values, (statement) => target.exec(statement), {
              writesOnly: true,
            });
            return execute ? target.query(execute, [], options) : target.query(...args);
          });
        };
      if (property === 'exec')
        return (...args: Parameters<PGlite['exec']>) => {
          const scope = currentScope();
          return exclusive(async () => {
            await enter(scope);
            return target.exec(...args);
          });
        };
      if (property === 'transaction')
        return <T>(callback: (tx: Transaction) => Promise<T>) =>
          exclusive(() => target.transaction((tx) => callback(scopedTransaction(tx, sessionKey, prepared))));
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
