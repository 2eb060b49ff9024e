import { findAccountByEmail } from '#src/db/queries/directory/accounts.queries.ts';
import type { ApiTokenRow } from '#src/db/queries/directory/api-tokens.queries.ts';
import {
  listApiTokensOfAccount,
  revokeApiTokenOfAccount,
} from '#src/db/queries/directory/api-tokens.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { SYSTEM } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import type { UseCaseContext } from '../use-case.ts';
import { issueApiToken } from './api-tokens.ts';
import { recordAccountAuthEvent } from './auth-events.ts';
import { requireAccount } from './require-account.ts';

/**
 * Creates a personal API token for the caller; the secret is returned once and only its hash is kept.
 * @throws {AppError} `auth.unauthenticated`
 */
export async function createApiToken(
  ctx: UseCaseContext,
  input: { label: string; expiresAt?: Date; ip?: string | null },
): Promise<{ token: ApiTokenRow; secret: string }> {
  const { services, actor } = ctx;
  const accountId = requireAccount(actor);
  if (input.expiresAt && input.expiresAt <= services.clock.now()) {
    throw new AppError('request.invalid_input', 'expiresAt must be in the future.', {
      details: [{ path: 'expiresAt', message: 'must be in the future' }],
    });
  }
  return services.db.transaction(async (tx) => {
    const issued = await issueApiToken(
      { db: tx },
      { accountId, label: input.label.trim(), expiresAt: input.expiresAt },
    );
    await recordAccountAuthEvent(tx, services, {
      action: 'auth.api_token_created',
      accountId,
      actor,
      ip: input.ip,
      data: { tokenId: issued.token.id, label: issued.token.label },
    });
    return issued;
  });
}

/** The caller's tokens, newest first (never the secrets). */
export async function listApiTokens(ctx: UseCaseContext): Promise<ApiTokenRow[]> {
  return listApiTokensOfAccount(ctx.services.db, requireAccount(ctx.actor));
}

/**
 * Revokes one of the caller's tokens; it stops working at once.
 * @throws {AppError} `auth.unauthenticated`, `request.not_found` for a token that is not the caller's or
 *   already revoked.
 */
export async function revokeApiToken(
  ctx: UseCaseContext,
  input: { tokenId: string; ip?: string | null },
): Promise<void> {
  const { services, actor } = ctx;
  const accountId = requireAccount(actor);
  await services.db.transaction(async (tx) => {
    const revoked = await revokeApiTokenOfAccount(tx, accountId, input.tokenId, services.clock.now());
    if (!revoked) throw new AppError('request.not_found', 'No such API token.');
    await recordAccountAuthEvent(tx, services, {
      action: 'auth.api_token_revoked',
      accountId,
      actor,
      ip: input.ip,
      data: { tokenId: input.tokenId },
    });
  });
}

/**
 * Issues a token for the account with this email, offline (CLI `gatehouse api-token create`): for scripts and
 * first setup. The secret is returned once.
 * @throws {AppError} `directory.user_not_found`
 */
export async function issueApiTokenForEmail(
  services: AppServices,
  input: { email: string; label: string },
): Promise<{ token: ApiTokenRow; secret: string; accountId: string }> {
  const account = await findAccountByEmail(services.db, input.email.trim());
  if (!account) throw new AppError('directory.user_not_found', `No account with email ${input.email}.`);
  return services.db.transaction(async (tx) => {
    const issued = await issueApiToken({ db: tx }, { accountId: account.id, label: input.label.trim() });
    await recordAccountAuthEvent(tx, services, {
      action: 'auth.api_token_created',
      accountId: account.id,
      actor: SYSTEM,
      data: { tokenId: issued.token.id, label: issued.token.label, via: 'cli' },
    });
    return { ...issued, accountId: account.id };
  });
}
