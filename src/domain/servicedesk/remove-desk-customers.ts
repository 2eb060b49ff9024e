import { deleteDeskCustomers } from '#src/db/queries/servicedesk/service-desks.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { assertAgent, deskViewerOf } from './desk-viewer.ts';
import { getServiceDeskFor } from './get-service-desk.ts';
import { resolveAllPeople } from './people.ts';
import { recordPeopleChange } from './record-people-change.ts';

/**
 * Removes customers from a desk's Customers list. Only desks with restricted access ("customers added by agents
 * and admins") allow it, as in JSM; the customers themselves stay.
 * @throws {AppError} `auth.forbidden`, `servicedesk.not_found`, `servicedesk.access_not_closed`,
 *   `servicedesk.customer_not_found`
 */
export async function removeDeskCustomers(
  ctx: UseCaseContext<DeskTenant>,
  input: { serviceDeskId: string | number; accountIds: string[] },
): Promise<void> {
  const { services } = ctx;
  const viewer = await deskViewerOf(ctx);
  const { site } = viewer;
  assertAgent(viewer);
  const desk = await getServiceDeskFor(services, viewer, input.serviceDeskId);
  if (desk.access !== 'restricted') {
    throw new AppError(
      'servicedesk.access_not_closed',
      'Customers can only be removed when the service desk is restricted to customers added by agents and admins.',
    );
  }
  await services.db.transaction(async (tx) => {
    const people = await resolveAllPeople(tx, site, input.accountIds, { create: false });
    await deleteDeskCustomers(
      tx,
      desk.id,
      people.map((p) => p.siteUserId),
    );
    await recordPeopleChange(tx, ctx, site, {
      action: 'servicedesk.customers_removed',
      target: { type: 'service_desk', id: String(desk.id) },
      people: people,
    });
  });
}
