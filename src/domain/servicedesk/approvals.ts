import type { Executor } from '#src/db/client.ts';
import {
  type ApprovalRow,
  type ApproverRow,
  completeApproval,
  findApproval,
  insertApproval,
  listApprovals,
  listApprovers,
  listRequestTypeApproverIds,
  replaceRequestTypeApprovers,
  setApproverDecision,
} from '#src/db/queries/servicedesk/request-approvals.queries.ts';
import { findRequestType } from '#src/db/queries/servicedesk/request-types.queries.ts';
import type { RequestRow } from '#src/db/queries/servicedesk/requests.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { assertAgent, type DeskViewer, deskViewerOf } from './desk-viewer.ts';
import { getRequest } from './get-request.ts';
import { getServiceDeskFor } from './get-service-desk.ts';
import { resolveAllPeople } from './people.ts';
import { recordPeopleChange } from './record-people-change.ts';

/** An approval with its approvers, as the API shows it. */
export interface ApprovalView {
  approval: ApprovalRow;
  approvers: ApproverRow[];
  /** The viewer is a pending approver of a pending approval. */
  canAnswer: boolean;
}

/** The name JSM's default approval step shows. */
const APPROVAL_NAME = 'Approve request';

/**
 * Opens the approval of a new request when its request type has approvers (in the creating transaction).
 * JSM's default condition: the first approver's answer decides.
 */
export async function openConfiguredApproval(tx: Executor, request: RequestRow, now: Date): Promise<void> {
  const approverIds = await listRequestTypeApproverIds(tx, request.requestTypeId);
  if (approverIds.length === 0) return;
  await insertApproval(tx, {
    orgId: request.orgId,
    requestId: request.id,
    name: APPROVAL_NAME,
    approverIds,
    createdAt: now,
  });
}

/**
 * Sets who approves requests of a type (JSM admins); every id must be a person on the site. Audited.
 * @throws {AppError} `auth.forbidden`, `servicedesk.not_found`, `servicedesk.request_type_not_found`,
 *   `servicedesk.customer_not_found`
 */
export async function setRequestTypeApprovers(
  ctx: UseCaseContext<DeskTenant>,
  input: { serviceDeskId: string; requestTypeId: number; accountIds: string[] },
): Promise<string[]> {
  const { services } = ctx;
  return services.db.transaction(async (tx) => {
    const viewer = await deskViewerOf(ctx, tx);
    const { site } = viewer;
    assertAgent(viewer, { admin: true });
    const desk = await getServiceDeskFor({ db: tx }, viewer, input.serviceDeskId);
    const type = await findRequestType(tx, desk.id, input.requestTypeId);
    if (!type) {
      throw new AppError('servicedesk.request_type_not_found', `No request type ${input.requestTypeId}.`);
    }
    const people = await resolveAllPeople(tx, site, input.accountIds, { create: true });
    await replaceRequestTypeApprovers(tx, {
      orgId: site.orgId,
      requestTypeId: type.id,
      siteUserIds: people.map((p) => p.siteUserId),
    });
    await recordPeopleChange(tx, ctx, site, {
      action: 'servicedesk.request_type_approvers_set',
      target: { type: 'request_type', id: String(type.id) },
      people: people,
    });
    return people.map((p) => p.accountId);
  });
}

async function viewsOf(db: Executor, viewer: DeskViewer, approvals: ApprovalRow[]): Promise<ApprovalView[]> {
  const approvers = await listApprovers(
    db,
    approvals.map((a) => a.id),
  );
  return approvals.map((approval) => {
    const own = approvers.filter((a) => a.approvalId === approval.id);
    const canAnswer =
      approval.finalDecision === 'pending' &&
      own.some((a) => a.siteUserId === viewer.siteUserId && a.decision === 'pending');
    return { approval, approvers: own, canAnswer };
  });
}

/**
 * Approvals of a visible request, oldest first (`limit + 1`).
 * @throws {AppError} `servicedesk.request_not_found`
 */
export async function listRequestApprovals(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; start: number; limit: number },
): Promise<{ viewer: DeskViewer; request: RequestRow; approvals: ApprovalView[] }> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  const rows = await listApprovals(services.db, request.id, { start: input.start, limit: input.limit + 1 });
  return { viewer, request, approvals: await viewsOf(services.db, viewer, rows) };
}

/**
 * One approval of a visible request.
 * @throws {AppError} `servicedesk.request_not_found`, `servicedesk.approval_not_found`
 */
export async function getRequestApproval(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; approvalId: number },
): Promise<{ viewer: DeskViewer; request: RequestRow; approval: ApprovalView }> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  const row = await findApproval(services.db, request.id, input.approvalId);
  if (!row) throw new AppError('servicedesk.approval_not_found', `No approval ${input.approvalId}.`);
  const [view] = await viewsOf(services.db, viewer, [row]);
  return { viewer, request, approval: view! };
}

/**
 * Approves or declines as one of the approval's pending approvers; the first answer decides (JSM's default
 * condition), so the approval completes with it. Audited, as an agent's or customer's decision on the request.
 * @throws {AppError} `servicedesk.request_not_found`, `servicedesk.approval_not_found`,
 *   `servicedesk.not_an_approver`, `servicedesk.approval_completed`
 */
export async function answerApproval(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; approvalId: number; decision: 'approve' | 'decline' },
): Promise<{ viewer: DeskViewer; request: RequestRow; approval: ApprovalView }> {
  const { services, actor } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  const { site } = viewer;
  return services.db.transaction(async (tx) => {
    const row = await findApproval(tx, request.id, input.approvalId, { lock: true });
    if (!row) throw new AppError('servicedesk.approval_not_found', `No approval ${input.approvalId}.`);
    const [view] = await viewsOf(tx, viewer, [row]);
    const isApprover = view!.approvers.some((a) => a.siteUserId === viewer.siteUserId);
    if (!isApprover) {
      throw new AppError('servicedesk.not_an_approver', 'You are not an approver of this approval.');
    }
    if (!view!.canAnswer) {
      throw new AppError('servicedesk.approval_completed', 'This approval has already been answered.', {
        data: { finalDecision: row.finalDecision },
      });
    }
    const decision = input.decision === 'approve' ? 'approved' : 'declined';
    const now = services.clock.now();
    await setApproverDecision(tx, { approvalId: row.id, siteUserId: viewer.siteUserId!, decision });
    const completed = await completeApproval(tx, row.id, { finalDecision: decision, completedAt: now });
    await recordEvent(tx, services.clock, {
      orgId: site.orgId,
      action: `servicedesk.approval_${decision}`,
      actor,
      target: { type: 'request', id: String(request.id) },
      siteId: site.id,
      data: { approvalId: row.id, issueKey: request.issueKey },
    });
    const [after] = await viewsOf(tx, viewer, [completed]);
    return { viewer, request, approval: after! };
  });
}
