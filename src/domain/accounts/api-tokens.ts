import type { Executor } from '#src/db/client.ts';
import type { AccountRow } from '#src/db/queries/directory/accounts.queries.ts';
import { findAccountByEmail } from '#src/db/queries/directory/accounts.queries.ts';
import {
  type ApiTokenRow,
  findLiveApiToken,
  insertApiToken,
  touchApiToken,
} from '#src/db/queries/directory/api-tokens.queries.ts';
import { hashSecret, newId, newSecret } from '#src/shared/ids.ts';
import type { AppServices } from '../services.ts';

export const API_TOKEN_PREFIX = 'ght_';

/** Creates a personal API token; the secret is returned once and stored only as a hash. */
export async function issueApiToken(
  services: { db: Executor },
  input: { accountId: string; label: string; expiresAt?: Date },
): Promise<{ token: ApiTokenRow; secret: string }> {
  const secret = newSecret(API_TOKEN_PREFIX);
  const token = await insertApiToken(services.db, {
    id: newId(),
    accountId: input.accountId,
    label: input.label,
    tokenHash: hashSecret(secret),
    expiresAt: input.expiresAt,
  });
  return { token, secret };
}

/**
 * Resolves HTTP Basic `email:api-token` to an active account, or undefined. Unknown email, wrong token,
 * revoked or expired token and an inactive account all look the same to the caller.
 */
export async function authenticateApiToken(
  services: Pick<AppServices, 'db' | 'clock'>,
  email: string,
  secret: string,
): Promise<{ account: AccountRow; token: ApiTokenRow } | undefined> {
  if (!secret.startsWith(API_TOKEN_PREFIX)) return undefined;
  const account = await findAccountByEmail(services.db, email);
  if (account?.status !== 'active') return undefined;
  const token = await findLiveApiToken(services.db, account.id, hashSecret(secret));
  const now = services.clock.now();
  if (!token || (token.expiresAt && token.expiresAt <= now)) return undefined;
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000)
    await touchApiToken(services.db, token.id, now);
  return { account, token };
}
