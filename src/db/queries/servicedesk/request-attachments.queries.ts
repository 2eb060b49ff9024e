import { and, asc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { requestAttachments } from '../../schema/index.ts';

export type AttachmentRow = typeof requestAttachments.$inferSelect;

export async function insertAttachment(
  db: Executor,
  row: typeof requestAttachments.$inferInsert,
): Promise<AttachmentRow> {
  const [created] = await db.insert(requestAttachments).values(row).returning();
  return created!;
}

/** The author's temporary uploads on the desk among `temporaryIds`, locked to be attached once. */
export async function lockTemporaryAttachments(
  db: Executor,
  input: { serviceDeskId: number; authorId: string; temporaryIds: string[] },
): Promise<AttachmentRow[]> {
  if (input.temporaryIds.length === 0) return [];
  return db
    .select()
    .from(requestAttachments)
    .where(
      and(
        eq(requestAttachments.serviceDeskId, input.serviceDeskId),
        eq(requestAttachments.authorId, input.authorId),
        isNull(requestAttachments.requestId),
        inArray(requestAttachments.temporaryId, input.temporaryIds),
      ),
    )
    .for('update');
}

/** Attaches temporary uploads to a request (and the comment they came with). */
export async function attachToRequest(
  db: Executor,
  ids: number[],
  input: { requestId: number; commentId: number | null; isPublic: boolean },
): Promise<AttachmentRow[]> {
  if (ids.length === 0) return [];
  return db
    .update(requestAttachments)
    .set({ ...input, temporaryId: null })
    .where(inArray(requestAttachments.id, ids))
    .returning();
}

/** Attachments of a request, oldest first (`limit + 1` rows); `publicOnly` for customers. */
export async function listRequestAttachments(
  db: Executor,
  requestId: number,
  options: { publicOnly: boolean; start: number; limit: number },
): Promise<AttachmentRow[]> {
  const conditions: SQL[] = [eq(requestAttachments.requestId, requestId)];
  if (options.publicOnly) conditions.push(eq(requestAttachments.isPublic, true));
  return db
    .select()
    .from(requestAttachments)
    .where(and(...conditions))
    .orderBy(asc(requestAttachments.id))
    .limit(options.limit)
    .offset(options.start);
}

export async function findRequestAttachment(
  db: Executor,
  requestId: number,
  attachmentId: number,
): Promise<AttachmentRow | undefined> {
  const [row] = await db
    .select()
    .from(requestAttachments)
    .where(and(eq(requestAttachments.requestId, requestId), eq(requestAttachments.id, attachmentId)));
  return row;
}
