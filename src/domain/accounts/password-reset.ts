import type { AuthTokenRow } from '#src/db/queries/accounts/auth-tokens.queries.ts';
import {
  type AccountRow,
  findAccount,
  findAccountByEmail,
  markAccountEmailVerified,
  setAccountPassword,
} from '#src/db/queries/directory/accounts.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { mailLink, queueMail } from '../mail/queue-mail.ts';
import type { AppServices } from '../services.ts';
import { recordAccountAuthEvent } from './auth-events.ts';
import { endAttempts, enforceIpRateLimit } from './auth-guard.ts';
import { consumeAuthToken, issueAuthToken } from './auth-tokens.ts';
import { assertPasswordAcceptable } from './password-policy.ts';
import { revokeAllSessionsOfAccount } from './sessions.ts';

/**
 * Asks for a reset link. The request path does the same work for every email — the per-IP limit and one
 * `accounts.send-reset-mail` job — so neither the answer nor its timing tells which emails exist; the lookup,
 * token and mail happen in the job (`sendPasswordResetMail`).
 * @throws {AppError} `request.rate_limited`
 */
export async function requestPasswordReset(
  services: AppServices,
  input: { email: string; ip?: string | null },
): Promise<void> {
  await enforceIpRateLimit(services.db, services.clock, 'mail', input.ip);
  await services.queue.enqueue('accounts.send-reset-mail', {
    email: input.email.trim(),
    ip: input.ip ?? null,
  });
}

/**
 * The job behind `requestPasswordReset`: mails a single-use reset link (`/reset-password?token=…`, 1 hour) when
 * the email belongs to an active account; does nothing otherwise.
 */
export async function sendPasswordResetMail(
  services: AppServices,
  input: { email: string; ip: string | null },
): Promise<'success' | 'skipped'> {
  const account = await findAccountByEmail(services.db, input.email.trim());
  if (account?.status !== 'active') return 'skipped';
  await services.db.transaction(async (tx) => {
    const { secret } = await issueAuthToken(tx, services, {
      purpose: 'reset_password',
      accountId: account.id,
      email: account.email,
      replacePrevious: true,
    });
    await queueMail(tx, services, {
      to: account.email,
      kind: 'reset_password',
      subject: 'Reset your Gatehouse password',
      text: `Hello ${account.name},\n\nChoose a new password here:\n${mailLink(services, '/reset-password', { token: secret })}\n\nThe link works once and expires in 1 hour. If you did not ask for it, ignore this message.`,
    });
    await recordAccountAuthEvent(tx, services, {
      action: 'auth.password_reset_requested',
      accountId: account.id,
      ip: input.ip,
    });
  });
  return 'success';
}

/**
 * Sets a new password with the emailed token: ends every session of the account, unlocks it, and (having
 * proved the mailbox) marks the email verified. An expired or used token changes nothing.
 * @throws {AppError} `auth.weak_password`, `auth.token_invalid`, `auth.token_used`, `auth.token_expired`
 */
export async function resetPassword(
  services: AppServices,
  input: { token: string; password: string; ip?: string | null },
): Promise<{ accountId: string }> {
  const { account } = await setPasswordWithMailedToken(services, 'reset_password', input, (ended) => ({
    sessionsEnded: ended,
  }));
  return { accountId: account.id };
}

/**
 * Sets an active account's password with a mailed single-use token of this purpose, in one transaction: the
 * password, the email marked verified (the link proves the mailbox), every session ended, the lockout cleared,
 * and an `auth.password_reset` event with `auditData(sessionsEnded)`.
 * @throws {AppError} `auth.weak_password`, `auth.token_invalid`, `auth.token_used`, `auth.token_expired`
 */
export async function setPasswordWithMailedToken(
  services: AppServices,
  purpose: 'reset_password' | 'set_password',
  input: { token: string; password: string; ip?: string | null },
  auditData: (sessionsEnded: number) => Record<string, unknown>,
): Promise<{ account: AccountRow; token: AuthTokenRow }> {
  assertPasswordAcceptable(input.password);
  const passwordHash = await services.passwords.hash(input.password);
  return services.db.transaction(async (tx) => {
    const token = await consumeAuthToken(tx, services, purpose, input.token);
    const account = token.accountId ? await findAccount(tx, token.accountId) : undefined;
    if (account?.status !== 'active') throw new AppError('auth.token_invalid', 'This link is not valid.');
    assertPasswordAcceptable(input.password, account);
    const now = services.clock.now();
    await setAccountPassword(tx, account.id, passwordHash, now);
    await markAccountEmailVerified(tx, account.id, now);
    const ended = await revokeAllSessionsOfAccount(tx, account.id);
    await endAttempts(tx, `account:${account.id}`);
    await recordAccountAuthEvent(tx, services, {
      action: 'auth.password_reset',
      accountId: account.id,
      ip: input.ip,
      data: auditData(ended),
    });
    return { account, token };
  });
}
