import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import {
  countRequestsWhere,
  listRequestsWhere,
  type RequestRow,
  statusFilter,
} from '#src/db/queries/servicedesk/requests.queries.ts';
import type { ServiceDeskRow } from '#src/db/queries/servicedesk/service-desks.queries.ts';
import { requests } from '#src/db/schema/index.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { assertAgent, type DeskViewer } from './desk-viewer.ts';
import { getServiceDesk } from './get-service-desk.ts';

/** A queue: a named filter over the desk's requests (JSM's default queues; not editable here). */
export interface QueueDefinition {
  id: number;
  name: string;
  jql: string;
  where: (viewer: DeskViewer) => SQL;
}

const open = statusFilter('OPEN_REQUESTS')!;

export const QUEUES: QueueDefinition[] = [
  {
    id: 1,
    name: 'All open',
    jql: 'resolution = EMPTY ORDER BY updated DESC',
    where: () => open,
  },
  {
    id: 2,
    name: 'Unassigned issues',
    jql: 'assignee IS EMPTY AND resolution = EMPTY ORDER BY updated DESC',
    where: () => and(open, isNull(requests.assigneeId))!,
  },
  {
    id: 3,
    name: 'Assigned to me',
    jql: 'assignee = currentUser() AND resolution = EMPTY ORDER BY updated DESC',
    where: (viewer) =>
      viewer.siteUserId ? and(open, eq(requests.assigneeId, viewer.siteUserId))! : sql`false`,
  },
  {
    id: 4,
    name: 'Waiting for customer',
    jql: 'status = "Waiting for customer" ORDER BY updated DESC',
    where: () => eq(requests.status, 'Waiting for customer'),
  },
  {
    id: 5,
    name: 'Resolved',
    jql: 'resolution != EMPTY ORDER BY updated DESC',
    where: () => statusFilter('CLOSED_REQUESTS')!,
  },
];

/** The fields each queue shows (JSM lists the columns). */
export const QUEUE_FIELDS = [
  'issuetype',
  'issuekey',
  'summary',
  'reporter',
  'assignee',
  'status',
  'created',
  'updated',
];

function inQueue(desk: ServiceDeskRow, queue: QueueDefinition, viewer: DeskViewer): SQL {
  return and(eq(requests.serviceDeskId, desk.id), queue.where(viewer))!;
}

async function agentDesk(ctx: UseCaseContext<DeskTenant>, serviceDeskId: string) {
  const { viewer, desk } = await getServiceDesk(ctx, serviceDeskId);
  assertAgent(viewer);
  return { viewer, desk };
}

/**
 * The desk's queues (agents only), with their request counts when asked.
 * @throws {AppError} `servicedesk.not_found`, `auth.forbidden`
 */
export async function listDeskQueues(
  ctx: UseCaseContext<DeskTenant>,
  input: { serviceDeskId: string; includeCount: boolean },
): Promise<{ desk: ServiceDeskRow; queues: Array<QueueDefinition & { issueCount?: number }> }> {
  const { services } = ctx;
  const { viewer, desk } = await agentDesk(ctx, input.serviceDeskId);
  const queues = [];
  for (const queue of QUEUES) {
    queues.push(
      input.includeCount
        ? { ...queue, issueCount: await countRequestsWhere(services.db, inQueue(desk, queue, viewer)) }
        : queue,
    );
  }
  return { desk, queues };
}

function findQueue(queueId: number): QueueDefinition {
  const queue = QUEUES.find((q) => q.id === queueId);
  if (!queue) throw new AppError('servicedesk.queue_not_found', `No queue ${queueId} on this service desk.`);
  return queue;
}

/**
 * One queue of the desk (agents only).
 * @throws {AppError} `servicedesk.not_found`, `auth.forbidden`, `servicedesk.queue_not_found`
 */
export async function getDeskQueue(
  ctx: UseCaseContext<DeskTenant>,
  input: { serviceDeskId: string; queueId: number; includeCount: boolean },
): Promise<{ desk: ServiceDeskRow; queue: QueueDefinition & { issueCount?: number } }> {
  const { services } = ctx;
  const { viewer, desk } = await agentDesk(ctx, input.serviceDeskId);
  const queue = findQueue(input.queueId);
  if (!input.includeCount) return { desk, queue };
  return {
    desk,
    queue: { ...queue, issueCount: await countRequestsWhere(services.db, inQueue(desk, queue, viewer)) },
  };
}

/**
 * A page of the queue's requests, latest activity first (`limit + 1` rows; agents only).
 * @throws {AppError} `servicedesk.not_found`, `auth.forbidden`, `servicedesk.queue_not_found`
 */
export async function listQueueRequests(
  ctx: UseCaseContext<DeskTenant>,
  input: { serviceDeskId: string; queueId: number; start: number; limit: number },
): Promise<{ viewer: DeskViewer; rows: RequestRow[] }> {
  const { services } = ctx;
  const { viewer, desk } = await agentDesk(ctx, input.serviceDeskId);
  const queue = findQueue(input.queueId);
  const rows = await listRequestsWhere(services.db, inQueue(desk, queue, viewer), {
    start: input.start,
    limit: input.limit + 1,
  });
  return { viewer, rows };
}
