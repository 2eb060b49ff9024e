import type { Executor } from '#src/db/client.ts';
import { AppError } from '#src/shared/errors.ts';
import type { AppServices } from '../services.ts';
import { type AuthSubject, enforceIpRateLimit } from './auth-guard.ts';
import { revokeSessionBySecret } from './sessions.ts';
import { invalidCredentials, verifyWithLockout } from './verify-password.ts';

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
  /** The secret of a session cookie the browser already holds: it is ended (the session id rotates at login). */
  previousSessionSecret?: string;
}

/** The parts of a password login that differ between accounts and portal-only customers. */
export interface PasswordLoginSteps<P extends LoginPrincipal, S> {
  /** The principal with this (trimmed) email, if any. */
  find(email: string): Promise<P | undefined>;
  /** The lockout counter: the principal's, or the unknown (lower-cased) email's. */
  lockoutSubject(principal: P | undefined, email: string): AuthSubject;
  /** Records `auth.login_failed` / `auth.locked` (principal undefined for an unknown email). */
  recordFailure(
    tx: Executor,
    action: 'auth.login_failed' | 'auth.locked',
    principal: P | undefined,
    data?: Record<string, unknown>,
  ): Promise<void>;
  /** Why a principal with the right password but a status other than `active` is refused. */
  inactiveMessage(principal: P): string;
  /** Creates the session and records `auth.login_succeeded`, in the caller's transaction. */
  startSession(tx: Executor, principal: P): Promise<S>;
}

/**
 * The one email + password login flow. Unknown email, missing password and wrong password give the same error
 * after the same argon2 work. Failures are counted per principal (and per unknown email) before the password is
 * checked; the 10th failure locks (that attempt still answers 401), and a locked login answers 423 without
 * checking anything. Inactive principals and unverified emails are refused only after a correct password.
 * @throws {AppError} `request.rate_limited`, `auth.invalid_credentials`, `auth.locked`, `auth.forbidden`,
 *   `auth.email_unverified`
 */
export async function passwordLogin<P extends LoginPrincipal, S>(
  services: AppServices,
  input: PasswordLoginInput,
  steps: PasswordLoginSteps<P, S>,
): Promise<{ principal: P; session: S }> {
  await enforceIpRateLimit(services.db, services.clock, 'login', input.ip);
  const email = input.email.trim();
  const principal = await steps.find(email);
  const subject = steps.lockoutSubject(principal, email.toLowerCase());
  const check = await verifyWithLockout(services, subject, principal?.passwordHash, input.password);
  if (check !== 'ok') {
    await services.db.transaction(async (tx) => {
      await steps.recordFailure(
        tx,
        'auth.login_failed',
        principal,
        principal ? { reason: 'wrong_password' } : { email: email.toLowerCase(), reason: 'unknown_email' },
      );
      if (check === 'locked_now' && principal) await steps.recordFailure(tx, 'auth.locked', principal);
    });
    // The attempt that reaches the limit was checked and is wrong: 401. Only later attempts answer 423.
    throw invalidCredentials();
  }
  const found = principal!;
  if (found.status !== 'active') throw new AppError('auth.forbidden', steps.inactiveMessage(found));
  if (!found.emailVerifiedAt) {
    throw new AppError(
      'auth.email_unverified',
      'Verify your email address first: follow the link we sent you.',
    );
  }
  const session = await services.db.transaction(async (tx) => {
    if (input.previousSessionSecret) await revokeSessionBySecret(tx, input.previousSessionSecret);
    return steps.startSession(tx, found);
  });
  return { principal: found, session };
}
