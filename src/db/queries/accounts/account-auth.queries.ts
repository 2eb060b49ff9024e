import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { accounts, apiTokens, orgMemberships, portalCustomers } from '../../schema/index.ts';

/** Organizations an account belongs to (its auth events are recorded in each). */
export async function listAccountOrgIds(db: Executor, accountId: string): Promise<string[]> {
  const rows = await db
    .select({ orgId: orgMemberships.orgId })
    .from(orgMemberships)
    .where(eq(orgMemberships.accountId, accountId));
  return rows.map((r) => r.orgId);
}

export async function setAccountPassword(db: Executor, accountId: string, passwordHash: string, at: Date) {
  await db.update(accounts).set({ passwordHash, updatedAt: at }).where(eq(accounts.id, accountId));
}

export async function markAccountEmailVerified(db: Executor, accountId: string, at: Date) {
  await db
    .update(accounts)
    .set({ emailVerifiedAt: at, updatedAt: at })
    .where(and(eq(accounts.id, accountId), isNull(accounts.emailVerifiedAt)));
}

export async function updateAccountProfile(
  db: Executor,
  accountId: string,
  patch: { name?: string; timeZone?: string; locale?: string },
  at: Date,
) {
  const [row] = await db
    .update(accounts)
    .set({ ...patch, updatedAt: at })
    .where(eq(accounts.id, accountId))
    .returning();
  return row;
}

export async function listApiTokensOfAccount(db: Executor, accountId: string) {
  return db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.accountId, accountId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

/** Revokes one live token of the account; false when there is no such live token. */
export async function revokeApiTokenOfAccount(db: Executor, accountId: string, tokenId: string, at: Date) {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.accountId, accountId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

export async function setCustomerPassword(db: Executor, customerId: string, passwordHash: string, at: Date) {
  await db
    .update(portalCustomers)
    .set({ passwordHash, updatedAt: at })
    .where(eq(portalCustomers.id, customerId));
}

export async function markCustomerEmailVerified(db: Executor, customerId: string, at: Date) {
  await db
    .update(portalCustomers)
    .set({ emailVerifiedAt: at, updatedAt: at })
    .where(and(eq(portalCustomers.id, customerId), isNull(portalCustomers.emailVerifiedAt)));
}
