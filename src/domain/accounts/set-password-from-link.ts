import {
  markAccountEmailVerified,
  setAccountPassword,
} from '#src/db/queries/accounts/account-auth.queries.ts';
import { findAccount } from '#src/db/queries/directory/accounts.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { AppServices } from '../services.ts';
import { recordAccountAuthEvent } from './auth-events.ts';
import { endAttempts } from './auth-guard.ts';
import { consumeAuthToken } from './auth-tokens.ts';
import { assertPasswordAcceptable } from './password-policy.ts';
import { revokeAllSessionsOfAccount } from './sessions.ts';

/**
 * Sets the first password of an account created by a migration, through the single-use `set_password` link of
 * its welcome mail (`/account/set-password?token=…`, 7 days). Following the link proves the mailbox, so the
 * email is marked verified in the same transaction. A used or expired link changes nothing.
 * @throws {AppError} `auth.weak_password`, `auth.token_invalid`, `auth.token_used`, `auth.token_expired`
 */
export async function setPasswordFromLink(
  services: AppServices,
  input: { token: string; password: string; ip?: string | null },
): Promise<{ accountId: string; email: string; orgId: string | null; siteId: string | null }> {
  assertPasswordAcceptable(input.password);
  const passwordHash = await services.passwords.hash(input.password);
  return services.db.transaction(async (tx) => {
    const token = await consumeAuthToken(tx, services, 'set_password', input.token);
    const account = token.accountId ? await findAccount(tx, token.accountId) : undefined;
    if (account?.status !== 'active') throw new AppError('auth.token_invalid', 'This link is not valid.');
    assertPasswordAcceptable(input.password, account);
    const now = services.clock.now();
    await setAccountPassword(tx, account.id, passwordHash, now);
    await markAccountEmailVerified(tx, account.id, now);
    await revokeAllSessionsOfAccount(tx, account.id);
    await endAttempts(tx, `account:${account.id}`);
    await recordAccountAuthEvent(tx, services, {
      action: 'auth.password_reset',
      accountId: account.id,
      ip: input.ip,
      data: { via: 'set_password_link' },
    });
    return { accountId: account.id, email: account.email, orgId: token.orgId, siteId: token.siteId };
  });
}
