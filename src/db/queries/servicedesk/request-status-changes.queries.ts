import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { requestStatusChanges } from '../../schema/index.ts';

export type StatusChangeRow = typeof requestStatusChanges.$inferSelect;

export async function insertStatusChange(
  db: Executor,
  row: { orgId: string; requestId: number; status: string; changedAt: Date },
): Promise<void> {
  await db.insert(requestStatusChanges).values(row);
}

/** A request's status changes, newest first (`limit + 1` rows for paging). */
export async function listStatusChanges(
  db: Executor,
  requestId: number,
  options: { start: number; limit: number },
): Promise<StatusChangeRow[]> {
  return db
    .select()
    .from(requestStatusChanges)
    .where(eq(requestStatusChanges.requestId, requestId))
    .orderBy(desc(requestStatusChanges.changedAt), desc(requestStatusChanges.id))
    .limit(options.limit)
    .offset(options.start);
}

/** Every status change of a request, oldest first (what the SLA clocks replay). */
export async function listAllStatusChanges(db: Executor, requestId: number): Promise<StatusChangeRow[]> {
  return db
    .select()
    .from(requestStatusChanges)
    .where(eq(requestStatusChanges.requestId, requestId))
    .orderBy(asc(requestStatusChanges.changedAt), asc(requestStatusChanges.id));
}

/** The status changes of several requests in one statement (a page of requests), newest first per request. */
export async function listStatusChangesOfRequests(
  db: Executor,
  requestIds: number[],
): Promise<Map<number, StatusChangeRow[]>> {
  const out = new Map<number, StatusChangeRow[]>();
  if (requestIds.length === 0) return out;
  const rows = await db
    .select()
    .from(requestStatusChanges)
    .where(inArray(requestStatusChanges.requestId, requestIds))
    .orderBy(desc(requestStatusChanges.changedAt), desc(requestStatusChanges.id));
  for (const row of rows) out.set(row.requestId, [...(out.get(row.requestId) ?? []), row]);
  return out;
}
