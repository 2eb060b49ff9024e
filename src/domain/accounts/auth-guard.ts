import type { Executor } from '#src/db/client.ts';
import {
  clearAttempts,
  hitRateLimit,
  takeAttemptSlot,
} from '#src/db/queries/accounts/auth-limits.queries.ts';
import type { LoginGuard } from '#src/db/queries/accounts/password-login.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { AppServices } from '../services.ts';

/**
 * Lockout and rate-limit settings. Mutable on purpose so tests can lower or raise them (`setAuthLimits`);
 * production uses the defaults.
 */
export const AUTH_LIMITS = {
  /** Failed logins per account or customer before it locks. */
  maxFailures: 10,
  /** How long a lock lasts. */
  lockMs: 15 * 60_000,
  /** Failures older than this (without a lock) are forgotten. */
  failureWindowMs: 15 * 60_000,
  /** Login attempts per IP per window. */
  loginPerIp: 30,
  /** Password-reset and sign-up requests per IP per window. */
  mailPerIp: 10,
  /** Length of the fixed rate-limit window. */
  rateWindowMs: 60_000,
};

/** Changes limits (tests); returns a function restoring the previous values. */
export function setAuthLimits(patch: Partial<typeof AUTH_LIMITS>): () => void {
  const previous = { ...AUTH_LIMITS };
  Object.assign(AUTH_LIMITS, patch);
  return () => Object.assign(AUTH_LIMITS, previous);
}

/** Who failures are counted for; unknown emails are counted too, so a lock never tells which emails exist. */
export type AuthSubject = `account:${string}` | `customer:${string}` | `email:${string}`;

/**
 * Counts an attempt against the per-IP limit (fixed window, shared by every process through the database).
 * @throws {AppError} `request.rate_limited` (429) with `retryAfterSeconds`
 */
export async function enforceIpRateLimit(
  db: Executor,
  clock: AppServices['clock'],
  bucket: 'login' | 'mail',
  ip: string | null | undefined,
): Promise<void> {
  const limit = bucket === 'login' ? AUTH_LIMITS.loginPerIp : AUTH_LIMITS.mailPerIp;
  const now = clock.now();
  const windowStart = rateWindowStart(now);
  const count = await hitRateLimit(db, rateKey(bucket, ip), windowStart);
  if (count > limit) throw rateLimitedError(now, windowStart);
}

const rateKey = (bucket: 'login' | 'mail', ip: string | null | undefined) =>
  `${bucket}:ip:${ip ?? 'unknown'}`;

const rateWindowStart = (now: Date) => new Date(now.getTime() - (now.getTime() % AUTH_LIMITS.rateWindowMs));

/** 429 `request.rate_limited` with the seconds left in the window. */
export function rateLimitedError(now: Date, windowStart: Date): AppError {
  const retryAfterSeconds = Math.ceil(
    (windowStart.getTime() + AUTH_LIMITS.rateWindowMs - now.getTime()) / 1000,
  );
  return new AppError('request.rate_limited', 'Too many attempts from this address; try again shortly.', {
    data: { retryAfterSeconds },
  });
}

/** The counters a password login takes before checking the password, as one statement takes them. */
export function loginGuard(
  now: Date,
  ip: string | null | undefined,
  unknownSubject: AuthSubject,
): LoginGuard {
  return {
    rateKey: rateKey('login', ip),
    windowStart: rateWindowStart(now),
    rateLimit: AUTH_LIMITS.loginPerIp,
    unknownSubject,
    now,
    attempts: attemptLimits(),
  };
}

const attemptLimits = () => ({
  limit: AUTH_LIMITS.maxFailures,
  lockMs: AUTH_LIMITS.lockMs,
  windowMs: AUTH_LIMITS.failureWindowMs,
});

/**
 * Takes an attempt slot for the subject before its password is checked. Locked subjects are refused without
 * checking anything; under parallel attempts exactly `maxFailures` get a slot.
 * @returns the attempt number; the attempt that equals `maxFailures` locks the subject if it fails.
 * @throws {AppError} `auth.locked` (423)
 */
export async function beginAttempt(db: Executor, clock: AppServices['clock'], subject: AuthSubject) {
  const slot = await takeAttemptSlot(db, subject, clock.now(), attemptLimits());
  if (slot === undefined) throw lockedError();
  return { slot, locksOnFailure: slot >= AUTH_LIMITS.maxFailures };
}

export function lockedError(): AppError {
  return new AppError(
    'auth.locked',
    `Too many failed attempts: this login is locked for ${Math.round(AUTH_LIMITS.lockMs / 60_000)} minutes. Reset the password to unlock it now.`,
  );
}

/** A successful login or a password reset forgets the failures. */
export async function endAttempts(db: Executor, subject: AuthSubject): Promise<void> {
  await clearAttempts(db, subject);
}
