import { findAccount } from '#src/db/queries/directory/accounts.queries.ts';
import { type RequestRow, updateRequest } from '#src/db/queries/servicedesk/requests.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { can } from '../policies/can.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { assertAgent, deskViewerOf } from './desk-viewer.ts';
import { getVisibleRequest } from './get-request.ts';
import { resolvePeople } from './people.ts';

/**
 * Assigns a request to an agent of the site (by account id), or unassigns it with `null`. Agents only; the
 * assignee must be able to work the site's service desks (a customer cannot be assigned).
 * @throws {AppError} `auth.forbidden`, `servicedesk.request_not_found`, `servicedesk.customer_not_found`,
 *   `request.invalid_input`
 */
export async function assignRequest(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; assigneeAccountId: string | null },
): Promise<RequestRow> {
  const { services } = ctx;
  const viewer = await deskViewerOf(ctx);
  const { site } = viewer;
  assertAgent(viewer);
  const request = await getVisibleRequest(services.db, viewer, input.issueIdOrKey);
  return services.db.transaction(async (tx) => {
    let assigneeId: string | null = null;
    if (input.assigneeAccountId !== null) {
      const account = await findAccount(tx, input.assigneeAccountId);
      const isAgent =
        account !== undefined &&
        (await can(
          tx,
          { type: 'account', accountId: account.id, email: account.email, via: 'session' },
          'servicedesk.work',
          { orgId: site.orgId, siteId: site.id },
        ));
      if (!isAgent) {
        throw new AppError('request.invalid_input', 'Requests can only be assigned to agents of this site.', {
          details: [{ path: 'assignee', message: 'not an agent' }],
        });
      }
      const { people } = await resolvePeople(tx, site, [input.assigneeAccountId], { create: true });
      assigneeId = people[0]!.siteUserId;
    }
    return updateRequest(tx, request.id, { assigneeId }, services.clock.now());
  });
}
