import { findAccount, setAccountPassword } from '#src/db/queries/directory/accounts.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { UseCaseContext } from '../use-case.ts';
import { recordAccountAuthEvent } from './auth-events.ts';
import { assertPasswordAcceptable } from './password-policy.ts';
import { revokeAllSessionsOfAccount } from './sessions.ts';
import { verifyWithLockout } from './verify-password.ts';

/**
 * Changes the caller's password after checking the current one (counted by the lockout like a login),
 * and ends every other session of the account; the caller's own session stays.
 * @throws {AppError} `auth.unauthenticated`, `auth.invalid_credentials` (403), `auth.locked`, `auth.weak_password`
 */
export async function changePassword(
  ctx: UseCaseContext,
  input: { currentPassword: string; newPassword: string; ip?: string | null },
): Promise<{ sessionsEnded: number }> {
  const { services, actor } = ctx;
  if (actor.type !== 'account') throw new AppError('auth.unauthenticated', 'Log in first.');
  const account = await findAccount(services.db, actor.accountId);
  if (!account) throw new AppError('auth.unauthenticated', 'Log in first.');
  assertPasswordAcceptable(input.newPassword, account);
  const check = await verifyWithLockout(
    services,
    `account:${account.id}`,
    account.passwordHash,
    input.currentPassword,
  );
  if (check !== 'ok') {
    await services.db.transaction((tx) =>
      recordAccountAuthEvent(tx, services, {
        action: check === 'locked_now' ? 'auth.locked' : 'auth.login_failed',
        accountId: account.id,
        actor,
        ip: input.ip,
        data: { reason: 'wrong_current_password' },
      }),
    );
    throw new AppError('auth.invalid_credentials', 'The current password is not correct.', { status: 403 });
  }
  const passwordHash = await services.passwords.hash(input.newPassword);
  return services.db.transaction(async (tx) => {
    await setAccountPassword(tx, account.id, passwordHash, services.clock.now());
    const ended = await revokeAllSessionsOfAccount(tx, account.id, actor.sessionId);
    await recordAccountAuthEvent(tx, services, {
      action: 'auth.password_changed',
      accountId: account.id,
      actor,
      ip: input.ip,
      data: { sessionsEnded: ended },
    });
    return { sessionsEnded: ended };
  });
}
