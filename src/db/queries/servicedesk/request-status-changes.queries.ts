import { asc, desc, eq } from 'drizzle-orm';
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
