import type { Executor } from '#src/db/client.ts';
import {
  findNotificationSetting,
  saveNotificationSetting,
} from '#src/db/queries/servicedesk/request-notification-settings.queries.ts';
import { listParticipantIds } from '#src/db/queries/servicedesk/request-participants.queries.ts';
import type { RequestRow } from '#src/db/queries/servicedesk/requests.queries.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { actingSiteUserId } from './desk-viewer.ts';
import { getRequest } from './get-request.ts';

async function defaultSubscription(db: Executor, request: RequestRow, siteUserId: string): Promise<boolean> {
  if (request.reporterId === siteUserId) return true;
  return (await listParticipantIds(db, request.id)).includes(siteUserId);
}

/**
 * Whether the caller gets the request's notifications: their explicit choice, else JSM's default (the reporter
 * and participants do, nobody else). A caller with no site user here (an org API key) is not subscribed.
 * @throws {AppError} `servicedesk.request_not_found`
 */
export async function getNotificationSubscription(
  ctx: UseCaseContext<DeskTenant>,
  issueIdOrKey: string,
): Promise<boolean> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, issueIdOrKey);
  if (!viewer.siteUserId) return false;
  const chosen = await findNotificationSetting(services.db, request.id, viewer.siteUserId);
  return chosen ?? defaultSubscription(services.db, request, viewer.siteUserId);
}

/**
 * Subscribes or unsubscribes the caller (a person: an org API key gets 403).
 * @throws {AppError} `servicedesk.request_not_found`, `auth.forbidden`
 */
export async function setNotificationSubscription(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; subscribed: boolean },
): Promise<void> {
  const { services } = ctx;
  const { viewer, request } = await getRequest(ctx, input.issueIdOrKey);
  await services.db.transaction(async (tx) => {
    const siteUserId = await actingSiteUserId(tx, viewer);
    await saveNotificationSetting(tx, {
      orgId: request.orgId,
      requestId: request.id,
      siteUserId,
      subscribed: input.subscribed,
    });
  });
}
