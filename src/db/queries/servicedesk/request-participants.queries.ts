import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { requestParticipants } from '../../schema/index.ts';

export async function insertParticipants(
  db: Executor,
  orgId: string,
  requestId: number,
  siteUserIds: string[],
): Promise<void> {
  if (siteUserIds.length === 0) return;
  await db
    .insert(requestParticipants)
    .values(siteUserIds.map((siteUserId) => ({ orgId, requestId, siteUserId })))
    .onConflictDoNothing();
}

export async function deleteParticipants(
  db: Executor,
  requestId: number,
  siteUserIds: string[],
): Promise<void> {
  if (siteUserIds.length === 0) return;
  await db
    .delete(requestParticipants)
    .where(
      and(eq(requestParticipants.requestId, requestId), inArray(requestParticipants.siteUserId, siteUserIds)),
    );
}

/** Participant site user ids of a request, in the order they were added. */
export async function listParticipantIds(
  db: Executor,
  requestId: number,
  options: { start: number; limit: number } = { start: 0, limit: 1000 },
): Promise<string[]> {
  const rows = await db
    .select({ id: requestParticipants.siteUserId })
    .from(requestParticipants)
    .where(eq(requestParticipants.requestId, requestId))
    .orderBy(asc(requestParticipants.createdAt), asc(requestParticipants.siteUserId))
    .limit(options.limit)
    .offset(options.start);
  return rows.map((r) => r.id);
}

/**
 * The first `limit` participants of each of several requests in one statement (for a page of requests), in the
 * order `listParticipantIds` gives them.
 */
export async function listParticipantIdsOfRequests(
  db: Executor,
  requestIds: number[],
  limit: number,
): Promise<Map<number, string[]>> {
  const byRequest = new Map<number, string[]>(requestIds.map((id) => [id, []]));
  if (requestIds.length === 0) return byRequest;
  const ranked = db
    .select({
      requestId: requestParticipants.requestId,
      siteUserId: requestParticipants.siteUserId,
      rank: sql<number>`row_number() over (partition by ${requestParticipants.requestId}
        order by ${requestParticipants.createdAt}, ${requestParticipants.siteUserId})`.as('rank'),
    })
    .from(requestParticipants)
    .where(inArray(requestParticipants.requestId, requestIds))
    .as('ranked');
  const rows = await db
    .select({ requestId: ranked.requestId, siteUserId: ranked.siteUserId })
    .from(ranked)
    .where(sql`${ranked.rank} <= ${limit}`)
    .orderBy(ranked.requestId, ranked.rank);
  for (const row of rows) byRequest.get(row.requestId)?.push(row.siteUserId);
  return byRequest;
}
