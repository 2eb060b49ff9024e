import { timingSafeEqual } from 'node:crypto';
import type { Executor } from '#src/db/client.ts';
import {
  deleteAccountSessions,
  deleteCustomerSessions,
  deleteExpiredSessionsOf,
  deleteSession,
  findSessionWithPrincipal,
  insertSession,
  type SessionRow,
  touchSession,
} from '#src/db/queries/accounts/sessions.queries.ts';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { hashSecret, newSecret } from '#src/shared/ids.ts';
import type { AppServices } from '../services.ts';

/** How long a session lives from login (absolute; a new login starts a new one). */
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** `lastSeenAt` is written at most this often, to keep reads cheap. */
const TOUCH_EVERY_MS = 60_000;

export type CreateSessionInput =
  | { kind: 'account'; accountId: string; ip?: string | null; userAgent?: string | null }
  | { kind: 'customer'; customerId: string; siteId: string; ip?: string | null; userAgent?: string | null };

export interface NewSession {
  /** Goes in the cookie; never stored (the row id is its SHA-256). */
  secret: string;
  /** Echoed by forms (`_csrf`) and scripts (`X-CSRF-Token`) on every cookie-authenticated write. */
  csrfToken: string;
  expiresAt: Date;
  sessionId: string;
}

/** A new session's row and what the browser gets of it: a 256-bit secret for the cookie, stored only as its hash. */
export function newSessionRow(services: Pick<AppServices, 'clock'>, input: CreateSessionInput) {
  const secret = newSecret();
  const csrfToken = newSecret();
  const now = services.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const row = {
    id: hashSecret(secret),
    kind: input.kind,
    accountId: input.kind === 'account' ? input.accountId : null,
    customerId: input.kind === 'customer' ? input.customerId : null,
    siteId: input.kind === 'customer' ? input.siteId : null,
    csrfToken,
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  };
  const session: NewSession = { secret, csrfToken, expiresAt, sessionId: row.id };
  return { row, session };
}

/** Starts a server-side session (see `newSessionRow`). The principal's expired sessions are deleted on the way. */
export async function createSession(
  tx: Executor,
  services: Pick<AppServices, 'clock'>,
  input: CreateSessionInput,
): Promise<NewSession> {
  const { row, session } = newSessionRow(services, input);
  await deleteExpiredSessionsOf(
    tx,
    input.kind === 'account' ? { accountId: input.accountId } : { customerId: input.customerId },
    row.createdAt,
  );
  await insertSession(tx, row);
  return session;
}

/** A live session with its principal's current identity. */
export type ResolvedSession = SessionRow & {
  /** The account's or customer's email now. */
  email: string | null;
  /** Set for customer sessions: the customer's org. */
  orgId: string | null;
  /** Set for customer sessions: the name of the site the session belongs to. */
  siteName: string | null;
  /** Set for customer sessions: the site itself and the customer's site user on it (null before its first one). */
  portal: { site: SiteRow; siteUserId: string | null } | null;
};

/**
 * The session a cookie secret names, or undefined when unknown, expired, or its principal can no longer log in
 * (account not active; customer revoked, migrated or deleted): those sessions stop working at once.
 */
export async function resolveSession(
  services: Pick<AppServices, 'db' | 'clock'>,
  secret: string,
): Promise<ResolvedSession | undefined> {
  if (!secret || secret.length > 200) return undefined;
  const found = await findSessionWithPrincipal(services.db, hashSecret(secret));
  if (!found) return undefined;
  const { session } = found;
  const now = services.clock.now();
  if (session.expiresAt <= now) return undefined;
  let resolved: ResolvedSession;
  if (session.kind === 'account') {
    if (found.accountStatus !== 'active') return undefined;
    resolved = { ...session, email: found.accountEmail, orgId: null, siteName: null, portal: null };
  } else {
    const { site } = found;
    if (found.customerStatus !== 'active' || !site || found.customerSiteId !== site.id) return undefined;
    resolved = {
      ...session,
      email: found.customerEmail,
      orgId: found.customerOrgId,
      siteName: site.name,
      portal: { site, siteUserId: found.customerSiteUserId },
    };
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await touchSession(services.db, session.id, now);
  }
  return resolved;
}

/** True when `candidate` is the session's CSRF token (constant-time comparison). */
export function csrfTokenMatches(
  session: Pick<SessionRow, 'csrfToken'>,
  candidate: string | undefined,
): boolean {
  if (!candidate) return false;
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(candidate);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Ends one session by the cookie secret (logout). */
export async function revokeSessionBySecret(db: Executor, secret: string): Promise<void> {
  await deleteSession(db, hashSecret(secret));
}

/** Ends every session of an account (except `exceptId`, the caller's own, when given). */
export async function revokeAllSessionsOfAccount(
  tx: Executor,
  accountId: string,
  exceptId?: string,
): Promise<number> {
  return deleteAccountSessions(tx, accountId, exceptId);
}

/** Ends every session of a portal-only customer (revoke, delete, migrate, password change). */
export async function revokeAllSessionsOfCustomer(tx: Executor, customerId: string): Promise<number> {
  return deleteCustomerSessions(tx, customerId);
}
