import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { requestComments } from '../../schema/index.ts';

export type CommentRow = typeof requestComments.$inferSelect;

/** Which comments a reader gets: public ones, internal notes, or both (the caller handles neither). */
function visibleComments(options: { includePublic: boolean; includeInternal: boolean }): SQL[] {
  if (!options.includeInternal) return [eq(requestComments.isPublic, true)];
  if (!options.includePublic) return [eq(requestComments.isPublic, false)];
  return [];
}

export async function insertComment(
  db: Executor,
  row: typeof requestComments.$inferInsert,
): Promise<CommentRow> {
  const [created] = await db.insert(requestComments).values(row).returning();
  return created!;
}

/** Comments of a request, oldest first; `includeInternal: false` never returns internal notes. */
export async function listComments(
  db: Executor,
  requestId: number,
  options: { includePublic: boolean; includeInternal: boolean; start: number; limit: number },
): Promise<CommentRow[]> {
  if (!options.includePublic && !options.includeInternal) return [];
  const conditions = [eq(requestComments.requestId, requestId), ...visibleComments(options)];
  return db
    .select()
    .from(requestComments)
    .where(and(...conditions))
    .orderBy(asc(requestComments.createdAt), asc(requestComments.id))
    .limit(options.limit)
    .offset(options.start);
}

export async function findComment(db: Executor, requestId: number, commentId: number) {
  const [row] = await db
    .select()
    .from(requestComments)
    .where(and(eq(requestComments.requestId, requestId), eq(requestComments.id, commentId)));
  return row;
}

/**
 * The first `limit` comments of each of several requests in one statement (for a page of requests), in the
 * order `listComments` gives them.
 */
export async function listCommentsOfRequests(
  db: Executor,
  requestIds: number[],
  options: { includePublic: boolean; includeInternal: boolean; limit: number },
): Promise<Map<number, CommentRow[]>> {
  const byRequest = new Map<number, CommentRow[]>(requestIds.map((id) => [id, []]));
  if (requestIds.length === 0 || (!options.includePublic && !options.includeInternal)) return byRequest;
  const conditions = [inArray(requestComments.requestId, requestIds), ...visibleComments(options)];
  const ranked = db
    .select({
      id: requestComments.id,
      rank: sql<number>`row_number() over (partition by ${requestComments.requestId}
        order by ${requestComments.createdAt}, ${requestComments.id})`.as('rank'),
    })
    .from(requestComments)
    .where(and(...conditions))
    .as('ranked');
  const rows = await db
    .select({ comment: requestComments })
    .from(requestComments)
    .innerJoin(ranked, eq(ranked.id, requestComments.id))
    .where(sql`${ranked.rank} <= ${options.limit}`)
    .orderBy(requestComments.requestId, ranked.rank);
  for (const { comment } of rows) byRequest.get(comment.requestId)?.push(comment);
  return byRequest;
}
