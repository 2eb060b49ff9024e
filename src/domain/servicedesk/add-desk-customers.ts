import { insertDeskCustomers } from '#src/db/queries/servicedesk/service-desks.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { assertAgent, deskViewerOf } from './desk-viewer.ts';
import { getServiceDeskFor } from './get-service-desk.ts';
import { resolvePeople } from './people.ts';
import { recordPeopleChange } from './record-people-change.ts';

/**
 * Adds customers (portal-only `qm:` ids or account ids) to a desk's Customers list. As in JSM: customers
 * already present are fine (204), and when some ids are unknown the valid ones are still added and the call
 * then fails with 400 naming the missing ones.
 * @throws {AppError} `auth.forbidden`, `servicedesk.not_found`, `servicedesk.customer_not_found`
 */
export async function addDeskCustomers(
  ctx: UseCaseContext<DeskTenant>,
  input: { serviceDeskId: string | number; accountIds: string[] },
): Promise<{ added: number }> {
  const { services } = ctx;
  const viewer = await deskViewerOf(ctx);
  const { site } = viewer;
  assertAgent(viewer);
  const desk = await getServiceDeskFor(services, viewer, input.serviceDeskId);
  const { people, missing } = await services.db.transaction(async (tx) => {
    const resolved = await resolvePeople(tx, site, input.accountIds, { create: true });
    await insertDeskCustomers(
      tx,
      site.orgId,
      desk.id,
      resolved.people.map((p) => p.siteUserId),
    );
    if (resolved.people.length > 0) {
      await recordPeopleChange(tx, ctx, site, {
        action: 'servicedesk.customers_added',
        target: { type: 'service_desk', id: String(desk.id) },
        people: resolved.people,
      });
    }
    return resolved;
  });
  if (missing.length > 0) {
    throw new AppError(
      'servicedesk.customer_not_found',
      `These users do not exist on this site: ${missing.join(', ')}. The others were added.`,
      { data: { missing } },
    );
  }
  return { added: people.length };
}
