import { eq, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { authFailures, rateLimits } from '../../schema/index.ts';
import { rowsOf } from '../raw-rows.ts';

export interface AttemptLimits {
  limit: number;
  lockMs: number;
  windowMs: number;
}

/**
 * The upsert that takes one attempt slot for each subject of `subjects` (a subquery with a `subject` column),
 * returning `failures`: a stale counter (its lock expired, or no attempt for `windowMs`) restarts at 1; a counter
 * already at `limit` is not updated and returns no row (locked); the slot that reaches `limit` sets
 * `locked_until`. Parallel attempts can never take more than `limit` slots.
 */
export function attemptSlotUpsert(subjects: SQL, now: Date, opts: AttemptLimits): SQL {
  const nowIso = now.toISOString();
  const lockUntil = new Date(now.getTime() + opts.lockMs).toISOString();
  const staleBefore = new Date(now.getTime() - opts.windowMs).toISOString();
  const stale = sql`((f.locked_until is not null and f.locked_until <= ${nowIso}::timestamptz)
    or (f.locked_until is null and f.updated_at <= ${staleBefore}::timestamptz))`;
  const next = sql`(case when ${stale} then 1 else f.failures + 1 end)`;
  return sql`insert into ${authFailures} as f (subject, failures, locked_until, updated_at)
    select s.subject, 1, ${opts.limit <= 1 ? lockUntil : null}::timestamptz, ${nowIso}::timestamptz from ${subjects} s
    on conflict (subject) do update set failures = ${next},
      locked_until = case when ${next} >= ${opts.limit}::bigint then ${lockUntil}::timestamptz else null end,
      updated_at = ${nowIso}::timestamptz
    where f.failures < ${opts.limit}::bigint or ${stale}
    returning failures`;
}

/**
 * Takes one login-attempt slot for a subject in a single atomic statement, BEFORE the password is checked
 * (see `attemptSlotUpsert`).
 * @returns the attempt's number (1..limit), or undefined when locked.
 */
export async function takeAttemptSlot(
  db: Executor,
  subject: string,
  now: Date,
  opts: AttemptLimits,
): Promise<number | undefined> {
  const result = await db.execute(attemptSlotUpsert(sql`(select ${subject}::text as subject)`, now, opts));
  return rowsOf<{ failures: number }>(result)[0]?.failures;
}

/** Forgets a subject's failures (after a successful login or a password reset). */
export async function clearAttempts(db: Executor, subject: string): Promise<void> {
  await db.delete(authFailures).where(eq(authFailures.subject, subject));
}

/** The upsert that counts one hit for `key` in the fixed window starting at `windowStart`, returning `count`. */
export function rateLimitHitUpsert(key: string, windowStart: Date): SQL {
  const startIso = windowStart.toISOString();
  return sql`insert into ${rateLimits} as r (key, window_start, count) values (${key}, ${startIso}::timestamptz, 1)
    on conflict (key) do update set
      count = case when r.window_start = ${startIso}::timestamptz then r.count + 1 else 1 end,
      window_start = ${startIso}::timestamptz
    returning count`;
}

/**
 * Counts one hit in a fixed window for `key`, atomically; a hit in a new window restarts the count.
 * @returns the hit's number in the current window.
 */
export async function hitRateLimit(db: Executor, key: string, windowStart: Date): Promise<number> {
  return rowsOf<{ count: number }>(await db.execute(rateLimitHitUpsert(key, windowStart)))[0]!.count;
}

/** Deletes rate-limit windows that started before `before` (the sweep); returns how many. */
export async function deleteStaleRateLimits(db: Executor, before: Date): Promise<number> {
  const rows = await db
    .delete(rateLimits)
    .where(sql`${rateLimits.windowStart} < ${before.toISOString()}::timestamptz`)
    .returning({ key: rateLimits.key });
  return rows.length;
}

/**
 * Deletes failure counters that no longer count (the sweep): not locked, or locked until before `now`, and not
 * touched since `staleBefore` — the same rows `takeAttemptSlot` would restart at 1. Returns how many.
 */
export async function deleteStaleAuthFailures(db: Executor, now: Date, staleBefore: Date): Promise<number> {
  const rows = await db
    .delete(authFailures)
    .where(
      sql`(${authFailures.lockedUntil} is null or ${authFailures.lockedUntil} <= ${now.toISOString()}::timestamptz)
        and ${authFailures.updatedAt} <= ${staleBefore.toISOString()}::timestamptz`,
    )
    .returning({ subject: authFailures.subject });
  return rows.length;
}
