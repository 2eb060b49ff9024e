import { eq, lt } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { pendingSignUps } from '../../schema/index.ts';
import { writeTenantless } from '../../tenant-scope.ts';

export type PendingSignUpRow = typeof pendingSignUps.$inferSelect;

export async function insertPendingSignUp(
  tx: Executor,
  row: typeof pendingSignUps.$inferInsert,
): Promise<void> {
  await writeTenantless(row.orgId, () => tx.insert(pendingSignUps).values(row));
}

/**
 * Takes a pending sign-up out, in the caller's transaction: it is gone once that commits, and back if it rolls
 * back (a retried job finds it again). Undefined when an earlier run already completed it.
 */
export async function takePendingSignUp(tx: Executor, id: string): Promise<PendingSignUpRow | undefined> {
  const [row] = await tx.delete(pendingSignUps).where(eq(pendingSignUps.id, id)).returning();
  return row;
}

/** Pending sign-ups older than `before`: their job gave up (or was lost), so nobody will complete them. */
export async function deleteStalePendingSignUps(db: Executor, before: Date): Promise<number> {
  const rows = await db
    .delete(pendingSignUps)
    .where(lt(pendingSignUps.createdAt, before))
    .returning({ id: pendingSignUps.id });
  return rows.length;
}
