import type { Executor } from '#src/db/client.ts';
import {
  type AuthTokenPurpose,
  type AuthTokenRow,
  findAuthTokenByHash,
  insertAuthToken,
  retireAuthTokens,
  useAuthToken,
} from '#src/db/queries/accounts/auth-tokens.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { hashSecret, newId, newSecret } from '#src/shared/ids.ts';
import type { AppServices } from '../services.ts';

/** How long each kind of emailed token lives. */
export const TOKEN_TTL_MS: Record<AuthTokenPurpose, number> = {
  verify_email: 48 * 60 * 60_000,
  reset_password: 60 * 60_000,
  invitation: 7 * 24 * 60 * 60_000,
  set_password: 7 * 24 * 60 * 60_000,
};

export interface IssueAuthTokenInput {
  purpose: AuthTokenPurpose;
  email: string;
  accountId?: string;
  customerId?: string;
  orgId?: string | null;
  siteId?: string | null;
  data?: Record<string, unknown>;
  /** Retire the owner's earlier unused tokens of this purpose (password resets). */
  replacePrevious?: boolean;
  /** How long it lives when not the purpose's usual `TOKEN_TTL_MS` (a first-password link: 7 days). */
  ttlMs?: number;
}

/** Issues a single-use, expiring token of 256 random bits; only its SHA-256 is stored. */
export async function issueAuthToken(
  tx: Executor,
  services: Pick<AppServices, 'clock'>,
  input: IssueAuthTokenInput,
): Promise<{ secret: string; token: AuthTokenRow }> {
  const now = services.clock.now();
  if (input.replacePrevious && (input.accountId || input.customerId)) {
    await retireAuthTokens(
      tx,
      input.purpose,
      { accountId: input.accountId, customerId: input.customerId },
      now,
    );
  }
  const secret = newSecret();
  const token = await insertAuthToken(tx, {
    id: newId(),
    tokenHash: hashSecret(secret),
    purpose: input.purpose,
    accountId: input.accountId ?? null,
    customerId: input.customerId ?? null,
    orgId: input.orgId ?? null,
    siteId: input.siteId ?? null,
    email: input.email,
    data: input.data ?? {},
    createdAt: now,
    expiresAt: new Date(now.getTime() + (input.ttlMs ?? TOKEN_TTL_MS[input.purpose])),
  });
  return { secret, token };
}

/**
 * Uses a token once: the first caller gets the row, every later (or concurrent) use fails and changes nothing.
 * @throws {AppError} `auth.token_invalid` (unknown or other purpose), `auth.token_used`, `auth.token_expired`
 */
export async function consumeAuthToken(
  tx: Executor,
  services: Pick<AppServices, 'clock'>,
  purpose: AuthTokenPurpose,
  secret: string,
): Promise<AuthTokenRow> {
  const tokenHash = hashSecret(secret);
  const used = await useAuthToken(tx, tokenHash, purpose, services.clock.now());
  if (used) return used;
  const found = await findAuthTokenByHash(tx, tokenHash);
  if (!found || found.purpose !== purpose) {
    throw new AppError('auth.token_invalid', 'This link is not valid.');
  }
  if (found.usedAt) throw new AppError('auth.token_used', 'This link was already used.');
  throw new AppError('auth.token_expired', 'This link has expired; ask for a new one.');
}
