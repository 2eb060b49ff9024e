import { clearAttempts } from '#src/db/queries/accounts/auth-limits.queries.ts';
import {
  completeLogin,
  type LoginGuard,
  type LoginStart,
} from '#src/db/queries/accounts/password-login.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { hashSecret } from '#src/shared/ids.ts';
import { type AuditEventInput, pendingAuditEvent, recordEvents } from '../audit/record-event.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { AUTH_LIMITS, type AuthSubject, lockedError, loginGuard, rateLimitedError } from './auth-guard.ts';
import { type CreateSessionInput, type NewSession, newSessionRow } from './sessions.ts';
import { invalidCredentials } from './verify-password.ts';

/** What a password login needs to know of the one logging in (an account or a portal-only customer). */
export interface LoginPrincipal {
  id: string;
  passwordHash: string | null;
  status: string;
  emailVerifiedAt: Date | null;
}

export interface PasswordLoginInput {
  email: string;
  password: string;
  ip?: string | null;
  userAgent?: string | null;
  /** The secret of a session cookie the browser already holds: it is ended (the session id rotates at login). */
  previousSessionSecret?: string;
}

type LoginAction = 'auth.login_failed' | 'auth.locked' | 'auth.login_succeeded';

/** The parts of a password login that differ between accounts and portal-only customers. */
export interface PasswordLoginSteps<P extends LoginPrincipal> {
  /** Counts the attempt and looks the principal up by (trimmed) email, in one statement (see `startLogin`). */
  start(email: string, guard: LoginGuard): Promise<LoginStart<P>>;
  /** The lockout counter of an email no principal has (lower-cased). */
  unknownSubject(email: string): AuthSubject;
  /** The audit events of a login outcome (principal undefined for an unknown email). */
  events(
    action: LoginAction,
    principal: P | undefined,
    orgIds: string[],
    detail: { actor?: Actor; data?: Record<string, unknown> },
  ): AuditEventInput[];
  /** The actor a successful login acts as. */
  actor(principal: P): Actor;
  /** Why a principal with the right password but a status other than `active` is refused. */
  inactiveMessage(principal: P): string;
  /** The session a successful login starts. */
  session(principal: P): CreateSessionInput;
}

/**
 * The one email + password login flow, in two round trips: one statement counts the IP's hit, looks the principal
 * up and takes an attempt slot on its lockout counter; then argon2id runs (the dummy verify when there is no hash,
 * so unknown email, missing password and wrong password cost the same work and give the same 401); then one
 * statement records the outcome (success: failures forgotten, old sessions ended, session and audit events
 * written; failure: the audit events). The 10th failure locks (that attempt still answers 401), and a locked
 * login answers 423 without checking anything. Inactive principals and unverified emails are refused only after a
 * correct password.
 * @throws {AppError} `request.rate_limited`, `auth.invalid_credentials`, `auth.locked`, `auth.forbidden`,
 *   `auth.email_unverified`
 */
export async function passwordLogin<P extends LoginPrincipal>(
  services: AppServices,
  input: PasswordLoginInput,
  steps: PasswordLoginSteps<P>,
): Promise<{ principal: P; session: NewSession }> {
  const email = input.email.trim();
  const now = services.clock.now();
  const guard = loginGuard(now, input.ip, steps.unknownSubject(email.toLowerCase()));
  const start = await steps.start(email, guard);
  if (start.rateCount > guard.rateLimit) throw rateLimitedError(now, guard.windowStart);
  if (start.slot === undefined) throw lockedError();
  const { principal, orgIds } = start;
  let ok = false;
  if (principal?.passwordHash) ok = await services.passwords.verify(principal.passwordHash, input.password);
  else await services.passwords.verifyDummy(input.password);

  if (!ok) {
    const data = principal
      ? { reason: 'wrong_password' }
      : { email: email.toLowerCase(), reason: 'unknown_email' };
    const failed = steps.events('auth.login_failed', principal, orgIds, { data });
    // The attempt that reaches the limit was checked and is wrong: 401, with the lock recorded beside it.
    if (principal && start.slot >= AUTH_LIMITS.maxFailures) {
      await services.db.transaction(async (tx) => {
        await recordEvents(tx, services.clock, failed);
        await recordEvents(tx, services.clock, steps.events('auth.locked', principal, orgIds, {}));
      });
    } else {
      await recordEvents(services.db, services.clock, failed);
    }
    throw invalidCredentials();
  }
  const found = principal!;
  if (found.status !== 'active' || !found.emailVerifiedAt) {
    // The password was right: earlier failures are forgotten, but no session starts.
    await clearAttempts(services.db, start.subject);
    if (found.status !== 'active') throw new AppError('auth.forbidden', steps.inactiveMessage(found));
    throw new AppError(
      'auth.email_unverified',
      'Verify your email address first: follow the link we sent you.',
    );
  }
  const { row, session } = newSessionRow(services, steps.session(found));
  await completeLogin(services.db, {
    subject: start.subject,
    previousSessionId: input.previousSessionSecret ? hashSecret(input.previousSessionSecret) : undefined,
    session: row,
    audit: steps
      .events('auth.login_succeeded', found, orgIds, { actor: steps.actor(found) })
      .map((event) => pendingAuditEvent(services.clock, event)),
  });
  return { principal: found, session };
}
