import { and } from 'drizzle-orm';
import type { Executor } from '#src/db/client.ts';
import { findCustomerOnSite } from '#src/db/queries/customers/portal-customers.queries.ts';
import {
  findRequestWhere,
  type RequestRow,
  requestIdOrKey,
} from '#src/db/queries/servicedesk/requests.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { type DeskViewer, deskViewerOf } from './desk-viewer.ts';
import { visibleRequestCondition } from './request-visibility.ts';

/**
 * A request by id or key if the viewer may see it; an invisible one is exactly as missing as an unknown one.
 * @throws {AppError} `servicedesk.request_not_found`
 */
export async function getVisibleRequest(
  db: Executor,
  viewer: DeskViewer,
  issueIdOrKey: string,
): Promise<RequestRow> {
  const request = await findRequestWhere(
    db,
    and(visibleRequestCondition(viewer), requestIdOrKey(issueIdOrKey))!,
  );
  if (!request) {
    await assertCustomerStillHere(db, viewer);
    throw new AppError('servicedesk.request_not_found', `No request ${issueIdOrKey}.`);
  }
  return request;
}

/**
 * A portal-only customer resolved as active a moment ago may have been migrated since (READ COMMITTED: each
 * statement sees the latest commits), its requests now on the new account: not "no such request" but "this
 * session has ended". One statement, on the not-found path only.
 * @throws {AppError} `auth.unauthenticated` when the customer is no longer active on the site
 */
async function assertCustomerStillHere(db: Executor, viewer: DeskViewer): Promise<void> {
  if (viewer.actor.type !== 'customer') return;
  const customer = await findCustomerOnSite(db, viewer.site.id, viewer.actor.customerId);
  if (customer?.status !== 'active') {
    throw new AppError(
      'auth.unauthenticated',
      'This portal-only account was moved to an Atlassian account; log in with that account.',
    );
  }
}

/** Resolves the caller and returns a request it may see (see `getVisibleRequest`). */
export async function getRequest(
  ctx: UseCaseContext<DeskTenant>,
  issueIdOrKey: string,
): Promise<{ viewer: DeskViewer; request: RequestRow }> {
  const { services } = ctx;
  const viewer = await deskViewerOf(ctx);
  return { viewer, request: await getVisibleRequest(services.db, viewer, issueIdOrKey) };
}
