import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { apiTokens } from '../../schema/index.ts';

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertApiToken(db: Executor, row: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
  const [created] = await db.insert(apiTokens).values(row).returning();
  return created!;
}

/** A live (not revoked) token of an account by the hash of its secret. */
export async function findLiveApiToken(db: Executor, accountId: string, tokenHash: string) {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.accountId, accountId),
        eq(apiTokens.tokenHash, tokenHash),
        isNull(apiTokens.revokedAt),
      ),
    );
  return row;
}

export async function touchApiToken(db: Executor, id: string, at: Date): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
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
