import type { AccountRow } from '#src/db/queries/directory/accounts.queries.ts';
import { findAccountByEmail } from '#src/db/queries/directory/accounts.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { AppServices } from '../services.ts';
import { recordAccountAuthEvent } from './auth-events.ts';
import { enforceIpRateLimit } from './auth-guard.ts';
import { createSession, type NewSession, revokeSessionBySecret } from './sessions.ts';
import { invalidCredentials, verifyWithLockout } from './verify-password.ts';

export interface LoginInput {
  email: string;
  password: string;
  ip?: string | null;
  userAgent?: string | null;
  /** The secret of a session cookie the browser already holds: it is ended (the session id rotates at login). */
  previousSessionSecret?: string;
}

/**
 * Email + password login of an account. Unknown email, missing password and wrong password give the same
 * error after the same argon2 work. Failures are counted per account (and per unknown email) before the
 * password is checked; the 10th failure locks (that attempt still answers 401), and a locked login answers
 * 423 without checking anything.
 * Inactive or closed accounts and unverified emails are refused only after a correct password.
 * @throws {AppError} `request.rate_limited`, `auth.invalid_credentials`, `auth.locked`, `auth.forbidden`,
 *   `auth.email_unverified`
 */
export async function login(
  services: AppServices,
  input: LoginInput,
): Promise<{ account: AccountRow; session: NewSession }> {
  await enforceIpRateLimit(services.db, services.clock, 'login', input.ip);
  const email = input.email.trim();
  const account = await findAccountByEmail(services.db, email);
  const subject = account ? (`account:${account.id}` as const) : (`email:${email.toLowerCase()}` as const);
  const check = await verifyWithLockout(services, subject, account?.passwordHash, input.password);
  if (check !== 'ok') {
    await services.db.transaction(async (tx) => {
      await recordAccountAuthEvent(tx, services, {
        action: 'auth.login_failed',
        accountId: account?.id ?? null,
        ip: input.ip,
        data: account
          ? { reason: 'wrong_password' }
          : { email: email.toLowerCase(), reason: 'unknown_email' },
      });
      if (check === 'locked_now' && account) {
        await recordAccountAuthEvent(tx, services, {
          action: 'auth.locked',
          accountId: account.id,
          ip: input.ip,
        });
      }
    });
    // The attempt that reaches the limit was checked and is wrong: 401. Only later attempts answer 423.
    throw invalidCredentials();
  }
  const found = account!;
  if (found.status !== 'active') {
    throw new AppError(
      'auth.forbidden',
      `This account is ${found.status === 'closed' ? 'closed' : 'deactivated'}.`,
    );
  }
  if (!found.emailVerifiedAt) {
    throw new AppError(
      'auth.email_unverified',
      'Verify your email address first: follow the link we sent you.',
    );
  }
  const session = await services.db.transaction(async (tx) => {
    if (input.previousSessionSecret) await revokeSessionBySecret(tx, input.previousSessionSecret);
    const created = await createSession(tx, services, {
      kind: 'account',
      accountId: found.id,
      ip: input.ip,
      userAgent: input.userAgent,
    });
    await recordAccountAuthEvent(tx, services, {
      action: 'auth.login_succeeded',
      accountId: found.id,
      actor: { type: 'account', accountId: found.id, email: found.email, via: 'session' },
      ip: input.ip,
    });
    return created;
  });
  return { account: found, session };
}

/** Ends the session of this cookie secret (idempotent). */
export async function logout(
  services: AppServices,
  input: { sessionSecret: string | undefined; accountId?: string; ip?: string | null },
): Promise<void> {
  if (!input.sessionSecret) return;
  await services.db.transaction(async (tx) => {
    await revokeSessionBySecret(tx, input.sessionSecret!);
    if (input.accountId) {
      await recordAccountAuthEvent(tx, services, {
        action: 'auth.logout',
        accountId: input.accountId,
        actor: { type: 'account', accountId: input.accountId, email: '', via: 'session' },
        ip: input.ip,
      });
    }
  });
}
