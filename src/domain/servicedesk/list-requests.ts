import { and, eq, type SQL, sql } from 'drizzle-orm';
import {
  listRequestsWithReporter,
  type RequestRow,
  statusFilter,
} from '#src/db/queries/servicedesk/requests.queries.ts';
import { requests } from '#src/db/schema/index.ts';
import type { AppServices } from '../services.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { type DeskViewer, deskViewerOf } from './desk-viewer.ts';
import { type Person, toPerson } from './people.ts';
import { asSeenBy } from './person-visibility.ts';
import { type Ownership, requestListCondition } from './request-visibility.ts';

export interface ListRequestsInput {
  /** JSM `requestOwnership`; default: owned + participated + all organizations (agents: every visible request). */
  requestOwnership?: Array<Exclude<Ownership, 'ALL'> | 'ALL_REQUESTS'>;
  requestStatus?: 'OPEN_REQUESTS' | 'CLOSED_REQUESTS' | 'ALL_REQUESTS';
  organizationId?: number;
  serviceDeskId?: number;
  requestTypeId?: number;
  /** Matches summary or key, case-insensitive. */
  searchTerm?: string;
  start: number;
  limit: number;
}

/**
 * The requests the caller can see, filtered as JSM's `GET /request` does, latest activity first.
 * Fetches `limit + 1` rows so the edge can tell whether this is the last page; reporters come
 * in the same statement.
 */
export async function listRequests(
  ctx: UseCaseContext<DeskTenant>,
  input: ListRequestsInput,
): Promise<{ viewer: DeskViewer; requests: RequestRow[]; reporters: Map<string, Person> }> {
  const { services } = ctx;
  return listRequestsFor(services, await deskViewerOf(ctx), input);
}

/** `listRequests` once the viewer is resolved. */
async function listRequestsFor(
  services: Pick<AppServices, 'db'>,
  viewer: DeskViewer,
  input: ListRequestsInput,
): Promise<{ viewer: DeskViewer; requests: RequestRow[]; reporters: Map<string, Person> }> {
  const ownership = (input.requestOwnership ?? []).filter((o) => o !== 'ALL_REQUESTS') as Exclude<
    Ownership,
    'ALL'
  >[];
  const conditions: SQL[] = [requestListCondition(viewer, ownership, input.organizationId)];
  const status = statusFilter(input.requestStatus ?? 'ALL_REQUESTS');
  if (status) conditions.push(status);
  if (input.serviceDeskId !== undefined) conditions.push(eq(requests.serviceDeskId, input.serviceDeskId));
  if (input.requestTypeId !== undefined) conditions.push(eq(requests.requestTypeId, input.requestTypeId));
  if (input.searchTerm) {
    const like = `%${input.searchTerm.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conditions.push(sql`(${requests.summary} ilike ${like} or ${requests.issueKey} ilike ${like})`);
  }
  const rows = await listRequestsWithReporter(services.db, and(...conditions)!, {
    start: input.start,
    limit: input.limit + 1,
  });
  return {
    viewer,
    requests: rows.map((r) => r.request),
    reporters: new Map(rows.map((r) => [r.reporter.siteUserId, asSeenBy(viewer, toPerson(r.reporter))])),
  };
}
