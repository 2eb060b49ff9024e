/**
 * Interactive work in flight (HTTP requests being served), so background work can step aside. On PGlite every
 * query of every request waits for the one connection: a migration that starts its next transaction the moment
 * the last one commits would be served before a request's second and third queries, and a read would wait for a
 * whole chain of them. Background loops call `afterWorkInFlight` between their short transactions instead.
 *
 * Fair, not idle-waiting: background work waits only for the requests already in flight when it asks, never for
 * the ones that arrive meanwhile, so a steady stream of requests cannot starve it (each request waits for at most
 * one background transaction, each background transaction for at most the requests ahead of it).
 */
const inFlight = new Set<Promise<void>>();
/** When the last request began (ms since the epoch). */
let lastBeganAt = 0;

/** Marks a request as started; call the returned function once when it ends. */
export function beginInteractiveWork(): () => void {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => {
    end = resolve;
  });
  inFlight.add(ended);
  lastBeganAt = Date.now();
  return () => {
    inFlight.delete(ended);
    end();
  };
}

/** Resolves once every request in flight now has ended, or after `maxWaitMs` (a request may stall). */
export function afterWorkInFlight(maxWaitMs: number): Promise<void> {
  if (inFlight.size === 0) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.all([...inFlight]).then(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Whether requests are being served: one is in flight, or one began in the last `ms` milliseconds. */
export function servingRequests(ms: number): boolean {
  return inFlight.size > 0 || Date.now() - lastBeganAt < ms;
}
