import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { accounts, orgMemberships, portalCustomers, sessions } from '../../schema/index.ts';
import { auditAppendCtes, type PendingAuditEvent } from '../audit/audit-events.queries.ts';
import { rowsOf, tableRowOf } from '../raw-rows.ts';
import { type AttemptLimits, attemptSlotUpsert, rateLimitHitUpsert } from './auth-limits.queries.ts';

/** The counters a password login takes before its password is checked. */
export interface LoginGuard {
  /** Per-IP fixed-window counter key and window, and how many hits it allows. */
  rateKey: string;
  windowStart: Date;
  rateLimit: number;
  /** Lockout counter of an email no principal has (the principal's own is `<prefix>:<id>`). */
  unknownSubject: string;
  now: Date;
  attempts: AttemptLimits;
}

export interface LoginStart<P> {
  /** The hit's number in the IP's window; above `rateLimit` nothing else was counted or looked up. */
  rateCount: number;
  /** The attempt slot taken (1..limit), undefined when the subject is locked or the IP rate-limited. */
  slot: number | undefined;
  principal: P | undefined;
  /** The lockout counter the slot was taken on. */
  subject: string;
  /** Accounts: the organizations it belongs to (its auth events go to each). */
  orgIds: string[];
}

/**
 * The pre-hash part of a password login in ONE statement: counts the IP's hit, looks the principal up, and
 * (unless the IP is over its limit) takes an attempt slot on its lockout counter (or the unknown email's).
 */
async function startLogin<T extends typeof accounts | typeof portalCustomers>(
  db: Executor,
  table: T,
  where: SQL,
  prefix: 'account' | 'customer',
  guard: LoginGuard,
): Promise<LoginStart<T['$inferSelect']>> {
  const subjects = sql`(select coalesce((select ${`${prefix}:`} || p.id from p), ${guard.unknownSubject}::text) as subject
    where (select count from rl) <= ${guard.rateLimit}::bigint)`;
  const orgIds =
    table === accounts
      ? sql`(select coalesce(array_agg(m.org_id order by m.org_id), '{}') from ${orgMemberships} m
          where m.account_id = p.id)`
      : sql`'{}'::text[]`;
  const result = await db.execute(sql`
    with rl as (${rateLimitHitUpsert(guard.rateKey, guard.windowStart)}),
      p as (select * from ${table} where ${where} limit 1),
      slot as (${attemptSlotUpsert(subjects, guard.now, guard.attempts)})
    select (select count from rl) as gh_rate_count, (select failures from slot) as gh_slot,
      coalesce((select ${`${prefix}:`} || p.id), ${guard.unknownSubject}::text) as gh_subject,
      ${orgIds} as gh_org_ids, p.*
    from (select 1) one left join p on true`);
  const raw = rowsOf<Record<string, unknown>>(result)[0]!;
  return {
    rateCount: Number(raw.gh_rate_count),
    slot: raw.gh_slot === null || raw.gh_slot === undefined ? undefined : Number(raw.gh_slot),
    principal: raw.id ? tableRowOf(table, raw) : undefined,
    subject: String(raw.gh_subject),
    orgIds: (raw.gh_org_ids as string[] | null) ?? [],
  };
}

/** `startLogin` for an account by email (case-insensitive). */
export function startAccountLogin(db: Executor, email: string, guard: LoginGuard) {
  return startLogin(db, accounts, sql`lower(${accounts.email}) = lower(${email})`, 'account', guard);
}

/** `startLogin` for a live (active, revoked or migrating) portal-only customer of a site by email. */
export function startCustomerLogin(db: Executor, siteId: string, email: string, guard: LoginGuard) {
  return startLogin(
    db,
    portalCustomers,
    sql`${portalCustomers.siteId} = ${siteId} and lower(${portalCustomers.email}) = lower(${email})
      and ${portalCustomers.status} in ('active', 'revoked', 'migrating')`,
    'customer',
    guard,
  );
}

/**
 * The post-hash part of a successful login in ONE statement (its own transaction): forgets the subject's
 * failures, ends the browser's previous session and the principal's expired ones, inserts the new session and
 * appends the audit events (one per chain). The audit chain heads are locked only from here to the commit.
 */
export async function completeLogin(
  db: Executor,
  input: {
    subject: string;
    previousSessionId?: string;
    session: typeof sessions.$inferInsert & { createdAt: Date; expiresAt: Date };
    audit: PendingAuditEvent[];
  },
): Promise<void> {
  const s = input.session;
  const owner = s.accountId ? sql`account_id = ${s.accountId}` : sql`customer_id = ${s.customerId ?? ''}`;
  const now = s.createdAt.toISOString();
  const previous = input.previousSessionId
    ? sql`revoked as (delete from ${sessions} where id = ${input.previousSessionId}),`
    : sql``;
  const result = await db.execute(sql`
    with cleared as (delete from auth_failures where subject = ${input.subject}),
      ${previous}
      expired as (delete from ${sessions} where ${owner} and expires_at <= ${now}::timestamptz),
      created as (
        insert into ${sessions} (id, kind, account_id, customer_id, site_id, csrf_token, ip, user_agent, created_at,
          last_seen_at, expires_at)
        values (${s.id}, ${s.kind}, ${s.accountId ?? null}, ${s.customerId ?? null}, ${s.siteId ?? null},
          ${s.csrfToken}, ${s.ip ?? null}, ${s.userAgent ?? null}, ${now}::timestamptz, ${now}::timestamptz,
          ${s.expiresAt.toISOString()}::timestamptz)
        returning id),
      ${auditAppendCtes(input.audit)}
    select (select count(*) from created)::int as sessions, (select count(*) from audit_appended)::int as events`);
  const row = rowsOf<{ sessions: number; events: number }>(result)[0];
  if (row?.sessions !== 1 || row.events !== input.audit.length)
    throw new Error('completeLogin: the session or its audit events were not written');
}
