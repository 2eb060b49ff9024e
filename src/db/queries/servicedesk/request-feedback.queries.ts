import { eq } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { requestFeedback } from '../../schema/index.ts';

export type FeedbackRow = typeof requestFeedback.$inferSelect;

export async function findFeedback(db: Executor, requestId: number): Promise<FeedbackRow | undefined> {
  const [row] = await db.select().from(requestFeedback).where(eq(requestFeedback.requestId, requestId));
  return row;
}

/** Writes the request's one rating, replacing an earlier one (JSM lets the reporter change it). */
export async function upsertFeedback(
  db: Executor,
  row: typeof requestFeedback.$inferInsert,
): Promise<FeedbackRow> {
  const [saved] = await db
    .insert(requestFeedback)
    .values(row)
    .onConflictDoUpdate({
      target: requestFeedback.requestId,
      set: {
        rating: row.rating,
        comment: row.comment ?? '',
        authorId: row.authorId,
        createdAt: row.createdAt,
      },
    })
    .returning();
  return saved!;
}

/** Removes the rating; false when there was none. */
export async function deleteFeedback(db: Executor, requestId: number): Promise<boolean> {
  const rows = await db
    .delete(requestFeedback)
    .where(eq(requestFeedback.requestId, requestId))
    .returning({ id: requestFeedback.requestId });
  return rows.length > 0;
}
