import { startAccountLogin } from '#src/db/queries/accounts/password-login.queries.ts';
import type { AccountRow } from '#src/db/queries/directory/accounts.queries.ts';
import type { AppServices } from '../services.ts';
import { accountAuthEvents, recordAccountAuthEvent } from './auth-events.ts';
import { passwordLogin } from './password-login.ts';
import { type NewSession, revokeSessionBySecret } from './sessions.ts';

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
  const { principal, session } = await passwordLogin(services, input, {
    start: (email, guard) => startAccountLogin(services.db, email, guard),
    unknownSubject: (email) => `email:${email}`,
    events: (action, account, orgIds, detail) =>
      accountAuthEvents({ action, accountId: account?.id ?? null, ip: input.ip, ...detail }, orgIds),
    actor: (account) => ({ type: 'account', accountId: account.id, email: account.email, via: 'session' }),
    inactiveMessage: (account) =>
      `This account is ${account.status === 'closed' ? 'closed' : 'deactivated'}.`,
    session: (account) => ({
      kind: 'account',
      accountId: account.id,
      ip: input.ip,
      userAgent: input.userAgent,
    }),
  });
  return { account: principal, session };
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
