import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { requestApprovals, requestApprovers, requestTypeApprovers } from '../../schema/index.ts';

export type ApprovalRow = typeof requestApprovals.$inferSelect;
export type ApproverRow = typeof requestApprovers.$inferSelect;
export type Decision = ApprovalRow['finalDecision'];

/** Approver site user ids configured on a request type. */
export async function listRequestTypeApproverIds(db: Executor, requestTypeId: number): Promise<string[]> {
  const rows = await db
    .select({ id: requestTypeApprovers.siteUserId })
    .from(requestTypeApprovers)
    .where(eq(requestTypeApprovers.requestTypeId, requestTypeId))
    .orderBy(asc(requestTypeApprovers.createdAt), asc(requestTypeApprovers.siteUserId));
  return rows.map((r) => r.id);
}

/** Replaces the approvers of a request type. */
export async function replaceRequestTypeApprovers(
  db: Executor,
  input: { orgId: string; requestTypeId: number; siteUserIds: string[] },
): Promise<void> {
  await db.delete(requestTypeApprovers).where(eq(requestTypeApprovers.requestTypeId, input.requestTypeId));
  if (input.siteUserIds.length === 0) return;
  await db
    .insert(requestTypeApprovers)
    .values(
      input.siteUserIds.map((siteUserId) => ({
        orgId: input.orgId,
        requestTypeId: input.requestTypeId,
        siteUserId,
      })),
    )
    .onConflictDoNothing();
}

/** Opens an approval on a request with its approvers (all pending). */
export async function insertApproval(
  db: Executor,
  input: { orgId: string; requestId: number; name: string; approverIds: string[]; createdAt: Date },
): Promise<ApprovalRow> {
  const [approval] = await db
    .insert(requestApprovals)
    .values({ orgId: input.orgId, requestId: input.requestId, name: input.name, createdAt: input.createdAt })
    .returning();
  await db
    .insert(requestApprovers)
    .values(
      input.approverIds.map((siteUserId) => ({ orgId: input.orgId, approvalId: approval!.id, siteUserId })),
    )
    .onConflictDoNothing();
  return approval!;
}

/** Approvals of a request, oldest first (`limit + 1` rows). */
export async function listApprovals(
  db: Executor,
  requestId: number,
  options: { start: number; limit: number },
): Promise<ApprovalRow[]> {
  return db
    .select()
    .from(requestApprovals)
    .where(eq(requestApprovals.requestId, requestId))
    .orderBy(asc(requestApprovals.id))
    .limit(options.limit)
    .offset(options.start);
}

export async function findApproval(
  db: Executor,
  requestId: number,
  approvalId: number,
  options: { lock?: boolean } = {},
): Promise<ApprovalRow | undefined> {
  const query = db
    .select()
    .from(requestApprovals)
    .where(and(eq(requestApprovals.requestId, requestId), eq(requestApprovals.id, approvalId)));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

/** Approvers of the given approvals, in the order they were configured. */
export async function listApprovers(db: Executor, approvalIds: number[]): Promise<ApproverRow[]> {
  if (approvalIds.length === 0) return [];
  return db
    .select()
    .from(requestApprovers)
    .where(inArray(requestApprovers.approvalId, approvalIds))
    .orderBy(asc(requestApprovers.approvalId), asc(requestApprovers.siteUserId));
}

export async function setApproverDecision(
  db: Executor,
  input: { approvalId: number; siteUserId: string; decision: Decision },
): Promise<void> {
  await db
    .update(requestApprovers)
    .set({ decision: input.decision })
    .where(
      and(
        eq(requestApprovers.approvalId, input.approvalId),
        eq(requestApprovers.siteUserId, input.siteUserId),
      ),
    );
}

export async function completeApproval(
  db: Executor,
  approvalId: number,
  input: { finalDecision: Decision; completedAt: Date },
): Promise<ApprovalRow> {
  const [row] = await db
    .update(requestApprovals)
    .set(input)
    .where(eq(requestApprovals.id, approvalId))
    .returning();
  return row!;
}
