import type { PGlite, Transaction } from '@electric-sql/pglite';
import { currentScope, SYSTEM_KEY, scopeKey, scopeStatement } from './tenant-scope.ts';

type Query = PGlite['query'];

/**
 * A transaction that sets its scope before its first statement, and again when a statement of another scope runs
 * in it (e.g. `asSystem` nested in a tenant's use case). In-process: a setting costs no network round trip.
 */
function scopedTransaction(tx: Transaction): Transaction {
  let applied = SYSTEM_KEY;
  const sync = async () => {
    const scope = currentScope();
    const key = scopeKey(scope);
    if (key === applied) return;
    await tx.exec(scopeStatement(scope, true));
    applied = key;
  };
  return new Proxy(tx, {
    get(target, property) {
      if (property === 'query')
        return async (...args: Parameters<Query>) => {
          await sync();
          return target.query(...args);
        };
      if (property === 'exec')
        return async (...args: Parameters<PGlite['exec']>) => {
          await sync();
          return target.exec(...args);
        };
      return Reflect.get(target, property, target);
    },
  });
}

/**
 * The PGlite handle Drizzle uses (pg-boss keeps the raw one): a query in a tenant (or nobody) scope runs in a short
 * transaction that sets the scope first; transactions set it before their first statement. System-scope queries
 * pass through untouched (the session's default, set by `enterAppRole`).
 */
export function scopedPglite(pglite: PGlite): PGlite {
  return new Proxy(pglite, {
    get(target, property) {
      if (property === 'query')
        return (...args: Parameters<Query>) => {
          if (scopeKey(currentScope()) === SYSTEM_KEY) return target.query(...args);
          return target.transaction((tx) => scopedTransaction(tx).query(...args));
        };
      if (property === 'transaction')
        return <T>(callback: (tx: Transaction) => Promise<T>) =>
          target.transaction((tx) => callback(scopedTransaction(tx)));
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
