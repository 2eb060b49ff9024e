import { and, eq, isNull } from 'drizzle-orm';
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
