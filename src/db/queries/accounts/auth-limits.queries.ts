import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { authFailures, rateLimits } from '../../schema/index.ts';

/**
 * Takes one login-attempt slot for a subject in a single atomic statement, BEFORE the password is checked.
 * A stale counter (its lock expired, or no attempt for `windowMs`) restarts at 1. When the counter already
 * holds `limit` attempts the row is not updated and nothing is returned: the subject is locked.
 * The slot that reaches `limit` sets `locked_until`. Parallel attempts can never take more than `limit` slots.
 * @returns the attempt's number (1..limit), or undefined when locked.
 */
export async function takeAttemptSlot(
  db: Executor,
  subject: string,
  now: Date,
  opts: { limit: number; lockMs: number; windowMs: number },
): Promise<number | undefined> {
  const nowIso = now.toISOString();
  const lockUntil = new Date(now.getTime() + opts.lockMs).toISOString();
  const staleBefore = new Date(now.getTime() - opts.windowMs).toISOString();
  const stale = sql`((${authFailures.lockedUntil} is not null and ${authFailures.lockedUntil} <= ${nowIso}::timestamptz)
    or (${authFailures.lockedUntil} is null and ${authFailures.updatedAt} <= ${staleBefore}::timestamptz))`;
  const rows = await db
    .insert(authFailures)
    .values({
      subject,
      failures: 1,
      lockedUntil: opts.limit <= 1 ? new Date(lockUntil) : null,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: authFailures.subject,
      set: {
        failures: sql`case when ${stale} then 1 else ${authFailures.failures} + 1 end`,
        lockedUntil: sql`case
          when (case when ${stale} then 1 else ${authFailures.failures} + 1 end) >= ${opts.limit}
            then ${lockUntil}::timestamptz
          else null end`,
        updatedAt: sql`${nowIso}::timestamptz`,
      },
      setWhere: sql`${authFailures.failures} < ${opts.limit} or ${stale}`,
    })
    .returning({ failures: authFailures.failures });
  return rows[0]?.failures;
}

/** Forgets a subject's failures (after a successful login or a password reset). */
export async function clearAttempts(db: Executor, subject: string): Promise<void> {
  await db.delete(authFailures).where(eq(authFailures.subject, subject));
}

/**
 * Counts one hit in a fixed window for `key`, atomically; a hit in a new window restarts the count.
 * @returns the hit's number in the current window.
 */
export async function hitRateLimit(db: Executor, key: string, windowStart: Date): Promise<number> {
  const startIso = windowStart.toISOString();
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${rateLimits.windowStart} = ${startIso}::timestamptz then ${rateLimits.count} + 1 else 1 end`,
        windowStart: sql`${startIso}::timestamptz`,
      },
    })
    .returning({ count: rateLimits.count });
  return row!.count;
}
