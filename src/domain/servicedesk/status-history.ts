import type { Executor } from '#src/db/client.ts';
import {
  insertStatusChange,
  listStatusChanges,
  listStatusChangesOfRequests,
} from '#src/db/queries/servicedesk/request-status-changes.queries.ts';
import { type RequestRow, updateRequest } from '#src/db/queries/servicedesk/requests.queries.ts';
import type { RequestStatus } from '#src/db/schema/index.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { getRequest } from './get-request.ts';

/** One entry of a request's status history. */
export interface StatusEntry {
  status: RequestStatus;
  at: Date;
}

/**
 * Moves a request to `status` and records the change in its history (the one way a status changes, so the
 * history and the SLA clocks never miss one). Call inside the use case's transaction.
 */
export async function changeRequestStatus(
  tx: Executor,
  request: Pick<RequestRow, 'id' | 'orgId'>,
  status: RequestStatus,
  now: Date,
): Promise<RequestRow> {
  await insertStatusChange(tx, { orgId: request.orgId, requestId: request.id, status, changedAt: now });
  return updateRequest(tx, request.id, { status, statusChangedAt: now }, now);
}

/** Records the status a new request starts in. */
export async function recordInitialStatus(tx: Executor, request: RequestRow): Promise<void> {
  await insertStatusChange(tx, {
    orgId: request.orgId,
    requestId: request.id,
    status: request.status,
    changedAt: request.statusChangedAt,
  });
}

/**
 * The status history of a visible request, newest first (`limit + 1` entries). A request written before the
 * history existed (or by a bulk import) has none: its current status stands in as its one entry.
 * @throws {AppError} `servicedesk.request_not_found`
 */
export async function listRequestStatusHistory(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; start: number; limit: number },
): Promise<StatusEntry[]> {
  const { services } = ctx;
  const { request } = await getRequest(ctx, input.issueIdOrKey);
  return statusHistoryOf(services.db, request, input);
}

/** The history of a request already known visible (see `listRequestStatusHistory`). */
export async function statusHistoryOf(
  db: Executor,
  request: RequestRow,
  page: { start: number; limit: number },
): Promise<StatusEntry[]> {
  const rows = await listStatusChanges(db, request.id, { start: page.start, limit: page.limit + 1 });
  if (rows.length === 0 && page.start === 0) return [{ status: request.status, at: request.statusChangedAt }];
  return rows.map((r) => ({ status: r.status as RequestStatus, at: r.changedAt }));
}

/** The first page of history of each of several visible requests, in one statement (`expand=status` on a list). */
export async function statusHistoriesOf(
  db: Executor,
  requests: RequestRow[],
  limit: number,
): Promise<Map<number, StatusEntry[]>> {
  const rows = await listStatusChangesOfRequests(
    db,
    requests.map((r) => r.id),
  );
  return new Map(
    requests.map((request) => {
      const own = rows.get(request.id) ?? [];
      const entries: StatusEntry[] =
        own.length > 0
          ? own.slice(0, limit + 1).map((r) => ({ status: r.status as RequestStatus, at: r.changedAt }))
          : [{ status: request.status, at: request.statusChangedAt }];
      return [request.id, entries];
    }),
  );
}
