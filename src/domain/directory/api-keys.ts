import {
  type ApiKeyRow,
  findLiveApiKeyByHash,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
} from '#src/db/queries/directory/api-keys.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { hashSecret, newId, newSecret } from '#src/shared/ids.ts';
import { recordEvent } from '../audit/record-event.ts';
import { assertCan } from '../policies/can.ts';
import type { AppServices } from '../services.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

export const API_KEY_PREFIX = 'ghk_';

/**
 * Creates an org API key. The secret is returned once and stored only as a hash.
 * @throws {AppError} `directory.org_not_found`, `auth.unauthenticated`, `auth.forbidden`
 */
export async function createApiKey(
  ctx: UseCaseContext<OrgTenant>,
  input: { name: string; expiresAt?: Date },
): Promise<{ key: ApiKeyRow; secret: string }> {
  const { services, actor } = ctx;
  return services.db.transaction(async (tx) => {
    const org = await assertCan(tx, actor, 'org.api_keys.manage', { orgId: ctx.tenant.orgId });
    const secret = newSecret(API_KEY_PREFIX);
    const key = await insertApiKey(tx, {
      id: newId(),
      orgId: org.id,
      name: input.name,
      tokenHash: hashSecret(secret),
      createdBy: actor.type === 'account' ? actor.accountId : null,
      expiresAt: input.expiresAt,
    });
    await recordEvent(tx, services.clock, {
      orgId: org.id,
      action: 'api_key.created',
      actor,
      target: { type: 'api_key', id: key.id },
      data: { name: key.name },
    });
    return { key, secret };
  });
}

/** Resolves a Bearer secret to its live, unexpired key, or undefined. */
export async function authenticateApiKey(
  services: Pick<AppServices, 'db' | 'clock'>,
  secret: string,
): Promise<ApiKeyRow | undefined> {
  if (!secret.startsWith(API_KEY_PREFIX)) return undefined;
  const key = await findLiveApiKeyByHash(services.db, hashSecret(secret));
  const now = services.clock.now();
  if (!key || (key.expiresAt && key.expiresAt <= now)) return undefined;
  // Last-used is advisory; at most one write a minute per key keeps the hot path read-only.
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000)
    await touchApiKey(services.db, key.id, now);
  return key;
}

/**
 * The org's API keys, newest first, revoked ones included (never their secrets).
 * @throws {AppError} `directory.org_not_found`, `auth.unauthenticated`, `auth.forbidden`
 */
export async function listOrgApiKeys(ctx: UseCaseContext<OrgTenant>): Promise<ApiKeyRow[]> {
  const { services, actor } = ctx;
  const org = await assertCan(services.db, actor, 'org.api_keys.manage', ctx.tenant);
  const keys = await listApiKeys(services.db, org.id);
  return keys.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id));
}

/**
 * Revokes a live key of the org; it stops working at once. A key of another org, or one already revoked,
 * is not found.
 * @throws {AppError} `directory.api_key_not_found`, `directory.org_not_found`, `auth.forbidden`
 */
export async function revokeOrgApiKey(
  ctx: UseCaseContext<OrgTenant>,
  input: { keyId: string },
): Promise<void> {
  const { services, actor } = ctx;
  await services.db.transaction(async (tx) => {
    const org = await assertCan(tx, actor, 'org.api_keys.manage', { orgId: ctx.tenant.orgId });
    const revoked = await revokeApiKey(tx, org.id, input.keyId, services.clock.now());
    if (!revoked) throw new AppError('directory.api_key_not_found', `No live API key ${input.keyId}.`);
    await recordEvent(tx, services.clock, {
      orgId: org.id,
      action: 'api_key.revoked',
      actor,
      target: { type: 'api_key', id: input.keyId },
    });
  });
}
