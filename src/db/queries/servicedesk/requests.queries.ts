import { desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { accounts, portalCustomers, type RequestStatus, requests, siteUsers } from '../../schema/index.ts';
import { type PersonRow, personColumns } from './people.queries.ts';

export type RequestRow = typeof requests.$inferSelect;

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

/** Whether any request matches `where`. */
export async function existsRequestWhere(db: Executor, where: SQL): Promise<boolean> {
  const [row] = await db.select({ id: requests.id }).from(requests).where(where).limit(1);
  return row !== undefined;
}
