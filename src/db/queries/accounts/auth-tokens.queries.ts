import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { authTokens } from '../../schema/index.ts';
import { writeTenantless } from '../../tenant-scope.ts';

export type AuthTokenRow = typeof authTokens.$inferSelect;
export type AuthTokenPurpose = AuthTokenRow['purpose'];

export async function insertAuthToken(
  db: Executor,
  row: typeof authTokens.$inferInsert,
): Promise<AuthTokenRow> {
  const [created] = await writeTenantless(row.orgId, () => db.insert(authTokens).values(row).returning());
  return created!;
}

/** Marks the token used if it is unused and unexpired, in one statement (so it is used at most once). */
export async function useAuthToken(db: Executor, tokenHash: string, purpose: AuthTokenPurpose, now: Date) {
  const [row] = await db
    .update(authTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(authTokens.tokenHash, tokenHash),
        eq(authTokens.purpose, purpose),
        isNull(authTokens.usedAt),
        gt(authTokens.expiresAt, now),
      ),
    )
    .returning();
  return row;
}

/** A token by the hash of its secret, used or not; with `purpose`, only a token of that purpose. */
export async function findAuthTokenByHash(db: Executor, tokenHash: string, purpose?: AuthTokenPurpose) {
  const [row] = await db
    .select()
    .from(authTokens)
    .where(
      purpose
        ? and(eq(authTokens.tokenHash, tokenHash), eq(authTokens.purpose, purpose))
        : eq(authTokens.tokenHash, tokenHash),
    );
  return row;
}

/** Retires every unused token of a purpose for an account or customer (a newer one replaces them). */
export async function retireAuthTokens(
  db: Executor,
  purpose: AuthTokenPurpose,
  owner: { accountId?: string; customerId?: string },
  now: Date,
): Promise<void> {
  const ownerCondition = owner.accountId
    ? eq(authTokens.accountId, owner.accountId)
    : eq(authTokens.customerId, owner.customerId ?? '');
  await db
    .update(authTokens)
    .set({ usedAt: now })
    .where(and(eq(authTokens.purpose, purpose), ownerCondition, isNull(authTokens.usedAt)));
}

/** Deletes tokens used, or expired, before `before` (the sweep); returns how many. */
export async function deleteStaleAuthTokens(db: Executor, before: Date): Promise<number> {
  const rows = await db
    .delete(authTokens)
    .where(or(lt(authTokens.usedAt, before), lt(authTokens.expiresAt, before)))
    .returning({ id: authTokens.id });
  return rows.length;
}

/** Spends every outstanding token (set password, reset, verify) of a customer. */
export async function spendCustomerTokens(tx: Executor, customerId: string, now: Date): Promise<void> {
  await tx
    .update(authTokens)
    .set({ usedAt: now })
    .where(and(eq(authTokens.customerId, customerId), sql`${authTokens.usedAt} is null`));
}
