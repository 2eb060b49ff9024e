import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { authTokens } from '../../schema/index.ts';

export type InvitationRow = typeof authTokens.$inferSelect;

export async function insertInvitation(
  db: Executor,
  row: typeof authTokens.$inferInsert,
): Promise<InvitationRow> {
  const [created] = await db
    .insert(authTokens)
    .values({ ...row, purpose: 'invitation' })
    .returning();
  return created!;
}

/**
 * Marks an unused, unexpired invitation used and returns it; a second (or concurrent) use gets nothing, because
 * the update itself checks `used_at is null`.
 */
export async function useInvitation(
  tx: Executor,
  tokenHash: string,
  now: Date,
): Promise<InvitationRow | undefined> {
  const [row] = await tx
    .update(authTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(authTokens.tokenHash, tokenHash),
        eq(authTokens.purpose, 'invitation'),
        isNull(authTokens.usedAt),
        gt(authTokens.expiresAt, now),
      ),
    )
    .returning();
  return row;
}

export async function findInvitationByHash(
  db: Executor,
  tokenHash: string,
): Promise<InvitationRow | undefined> {
  const [row] = await db
    .select()
    .from(authTokens)
    .where(and(eq(authTokens.tokenHash, tokenHash), eq(authTokens.purpose, 'invitation')));
  return row;
}
