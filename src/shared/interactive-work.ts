/**
 * Interactive work in flight (HTTP requests being served), so background work can step aside. On PGlite every
 * query of every request waits for the one connection: a migration that starts its next transaction the moment
 * the last one commits would be served before a request's second and third queries, and a read would wait for a
 * whole chain of them. Background loops call `whenIdle` between their short transactions instead.
 */
let inFlight = 0;
let waiters: Array<() => void> = [];

/** Marks a request as started; call the returned function once when it ends. */
export function beginInteractiveWork(): () => void {
  inFlight++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    inFlight--;
    if (inFlight === 0) {
      const ready = waiters;
      waiters = [];
      for (const wake of ready) wake();
    }
  };
}

/**
 * Resolves once no request is in flight, or after `maxWaitMs` (so a steady stream of requests still lets
 * background work progress).
 */
export function whenIdle(maxWaitMs: number): Promise<void> {
  if (inFlight === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiters = waiters.filter((wake) => wake !== done);
      resolve();
    }, maxWaitMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    waiters.push(done);
  });
}
