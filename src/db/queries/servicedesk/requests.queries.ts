import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import {
  accounts,
  portalCustomers,
  type RequestStatus,
  requestApprovals,
  requestApprovers,
  requestComments,
  requestOrganizations,
  requestParticipants,
  requests,
  siteUsers,
} from '../../schema/index.ts';
import { type PersonRow, personColumns } from './people.queries.ts';

export type RequestRow = typeof requests.$inferSelect;
export type CommentRow = typeof requestComments.$inferSelect;

export async function insertRequest(db: Executor, row: typeof requests.$inferInsert): Promise<RequestRow> {
  const [created] = await db.insert(requests).values(row).returning();
  return created!;
}

/** SQL: the request matches an id (digits) or an issue key. */
export function requestIdOrKey(idOrKey: string): SQL {
  return /^\d{1,9}$/.test(idOrKey)
    ? eq(requests.id, Number(idOrKey))
    : eq(requests.issueKey, idOrKey.toUpperCase());
}

/** The one request matching `where` (a visibility condition plus an id or key). */
export async function findRequestWhere(db: Executor, where: SQL): Promise<RequestRow | undefined> {
  const [row] = await db.select().from(requests).where(where);
  return row;
}

/** Locks the request row for an update. */
export async function lockRequest(db: Executor, requestId: number): Promise<RequestRow | undefined> {
  const [row] = await db.select().from(requests).where(eq(requests.id, requestId)).for('update');
  return row;
}

/**
 * A page of requests matching `where` with each reporter joined in (one statement for a list page; the page is
 * chosen first, so only its rows are joined), by latest activity first.
 */
export async function listRequestsWithReporter(
  db: Executor,
  where: SQL,
  options: { start: number; limit: number },
): Promise<Array<{ request: RequestRow; reporter: PersonRow }>> {
  const rows = await db
    .select({ request: requests, ...personColumns })
    .from(requests)
    .innerJoin(siteUsers, eq(siteUsers.id, requests.reporterId))
    .leftJoin(accounts, eq(accounts.id, siteUsers.accountId))
    .leftJoin(portalCustomers, eq(portalCustomers.id, siteUsers.customerId))
    .where(
      inArray(
        requests.id,
        db
          .select({ id: requests.id })
          .from(requests)
          .where(where)
          .orderBy(desc(requests.updatedAt), desc(requests.id))
          .limit(options.limit)
          .offset(options.start),
      ),
    )
    .orderBy(desc(requests.updatedAt), desc(requests.id));
  return rows.map(({ request, ...reporter }) => ({ request, reporter }));
}

/** A page of requests matching `where`, by latest activity first. */
export async function listRequestsWhere(
  db: Executor,
  where: SQL,
  options: { start: number; limit: number },
): Promise<RequestRow[]> {
  return db
    .select()
    .from(requests)
    .where(where)
    .orderBy(desc(requests.updatedAt), desc(requests.id))
    .limit(options.limit)
    .offset(options.start);
}

export async function updateRequest(
  db: Executor,
  requestId: number,
  data: Partial<Pick<RequestRow, 'status' | 'assigneeId' | 'summary' | 'description' | 'statusChangedAt'>>,
  now: Date,
): Promise<RequestRow> {
  const [row] = await db
    .update(requests)
    .set({ ...data, updatedAt: now })
    .where(eq(requests.id, requestId))
    .returning();
  return row!;
}

export async function touchRequest(db: Executor, requestId: number, now: Date): Promise<void> {
  await db.update(requests).set({ updatedAt: now }).where(eq(requests.id, requestId));
}

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

export async function insertRequestOrganizations(
  db: Executor,
  orgId: string,
  requestId: number,
  customerOrganizationIds: number[],
): Promise<void> {
  if (customerOrganizationIds.length === 0) return;
  await db
    .insert(requestOrganizations)
    .values(
      customerOrganizationIds.map((customerOrganizationId) => ({ orgId, requestId, customerOrganizationId })),
    )
    .onConflictDoNothing();
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
  const conditions = [eq(requestComments.requestId, requestId)];
  if (!options.includeInternal) conditions.push(eq(requestComments.isPublic, true));
  if (!options.includePublic) conditions.push(eq(requestComments.isPublic, false));
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

/** Statuses counted as closed in `requestStatus=CLOSED_REQUESTS`. */
export const CLOSED_STATUSES: RequestStatus[] = ['Resolved', 'Closed'];

export function statusFilter(
  requestStatus: 'OPEN_REQUESTS' | 'CLOSED_REQUESTS' | 'ALL_REQUESTS',
): SQL | undefined {
  if (requestStatus === 'OPEN_REQUESTS') return sql`${requests.status} not in ('Resolved', 'Closed')`;
  if (requestStatus === 'CLOSED_REQUESTS') return inArray(requests.status, CLOSED_STATUSES);
  return undefined;
}

/** How many requests match `where`. */
export async function countRequestsWhere(db: Executor, where: SQL): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(requests).where(where);
  return Number(row?.n ?? 0);
}

/**
 * Whether a request matching `visible` (a visibility condition) names the site user as reporter, raiser,
 * participant or approver: the person-visibility rule for customers.
 */
export async function isInvolvedInRequestWhere(
  db: Executor,
  visible: SQL,
  siteUserId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: requests.id })
    .from(requests)
    .where(
      and(
        visible,
        sql`(${requests.reporterId} = ${siteUserId} or ${requests.raisedById} = ${siteUserId}
          or exists (select 1 from ${requestParticipants} rp where rp.request_id = ${requests.id} and rp.site_user_id = ${siteUserId})
          or exists (select 1 from ${requestApprovals} ra join ${requestApprovers} rv on rv.approval_id = ra.id
            where ra.request_id = ${requests.id} and rv.site_user_id = ${siteUserId}))`,
      ),
    )
    .limit(1);
  return row !== undefined;
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
  const conditions = [inArray(requestComments.requestId, requestIds)];
  if (!options.includeInternal) conditions.push(eq(requestComments.isPublic, true));
  if (!options.includePublic) conditions.push(eq(requestComments.isPublic, false));
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
