import {
  deleteStaleAuthFailures,
  deleteStaleRateLimits,
} from '#src/db/queries/accounts/auth-limits.queries.ts';
import { deleteStaleAuthTokens } from '#src/db/queries/accounts/auth-tokens.queries.ts';
import { deleteStalePendingSignUps } from '#src/db/queries/accounts/pending-sign-ups.queries.ts';
import { deleteExpiredSessions } from '#src/db/queries/accounts/sessions.queries.ts';
import type { AppServices } from '../services.ts';
import { AUTH_LIMITS } from './auth-guard.ts';

/**
 * Used or expired emailed tokens are kept this long, so a second click on a used link still says "already
 * used" instead of "not valid"; after that they are deleted.
 */
export const TOKEN_RETENTION_MS = 7 * 24 * 60 * 60_000;

/** A sign-up's job completes within minutes (5 retries, 2 s backoff); a pending sign-up this old never will. */
export const PENDING_SIGN_UP_RETENTION_MS = 24 * 60 * 60_000;

export interface SweepCounts {
  sessions: number;
  tokens: number;
  rateLimits: number;
  authFailures: number;
  pendingSignUps: number;
}

/**
 * Deletes what no longer does anything: expired sessions, tokens used or expired more than
 * `TOKEN_RETENTION_MS` ago, rate-limit windows that ended, failure counters that would restart at 1 anyway
 * (expired lock, no attempt for the failure window), and pending sign-ups whose job gave up (with their hash). Each kind is one statement of its own (no long
 * transaction; on PGlite one would block every request). Run by the scheduled `accounts.sweep` job.
 */
export async function sweepAuthRows(services: Pick<AppServices, 'db' | 'clock'>): Promise<SweepCounts> {
  const now = services.clock.now();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  return {
    sessions: await deleteExpiredSessions(services.db, now),
    tokens: await deleteStaleAuthTokens(services.db, ago(TOKEN_RETENTION_MS)),
    rateLimits: await deleteStaleRateLimits(services.db, ago(AUTH_LIMITS.rateWindowMs)),
    authFailures: await deleteStaleAuthFailures(services.db, now, ago(AUTH_LIMITS.failureWindowMs)),
    pendingSignUps: await deleteStalePendingSignUps(services.db, ago(PENDING_SIGN_UP_RETENTION_MS)),
  };
}
