/** Time source, injectable so tests can move time (token expiry, lockout windows). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
