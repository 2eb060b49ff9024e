import { findAccount, markAccountEmailVerified } from '#src/db/queries/directory/accounts.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { AppServices } from '../services.ts';
import { recordAccountAuthEvent } from './auth-events.ts';
import { consumeAuthToken } from './auth-tokens.ts';

/**
 * Confirms an account's email with the single-use token from the verification mail.
 * @throws {AppError} `auth.token_invalid`, `auth.token_used`, `auth.token_expired`
 */
export async function verifyEmail(
  services: AppServices,
  input: { token: string; ip?: string | null },
): Promise<{ accountId: string }> {
  return services.db.transaction(async (tx) => {
    const token = await consumeAuthToken(tx, services, 'verify_email', input.token);
    const account = token.accountId ? await findAccount(tx, token.accountId) : undefined;
    if (!account) throw new AppError('auth.token_invalid', 'This link is not valid.');
    await markAccountEmailVerified(tx, account.id, services.clock.now());
    await recordAccountAuthEvent(tx, services, {
      action: 'auth.email_verified',
      accountId: account.id,
      ip: input.ip,
    });
    return { accountId: account.id };
  });
}
