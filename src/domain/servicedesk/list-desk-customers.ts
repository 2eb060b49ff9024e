import { listDeskCustomerIdsMatching } from '#src/db/queries/servicedesk/service-desks.queries.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { assertAgent, deskViewerOf } from './desk-viewer.ts';
import { getServiceDeskFor } from './get-service-desk.ts';
import { loadPeople, type Person } from './people.ts';

/**
 * The desk's Customers list (agents), optionally filtered by name or email; `limit + 1` rows so the edge can
 * tell the last page.
 * @throws {AppError} `auth.forbidden`, `servicedesk.not_found`
 */
export async function listDeskCustomers(
  ctx: UseCaseContext<DeskTenant>,
  input: { serviceDeskId: string | number; query?: string; start: number; limit: number },
): Promise<Person[]> {
  const { services } = ctx;
  const viewer = await deskViewerOf(ctx);
  assertAgent(viewer);
  const desk = await getServiceDeskFor(services, viewer, input.serviceDeskId);
  const ids = await listDeskCustomerIdsMatching(services.db, desk.id, {
    query: input.query,
    start: input.start,
    limit: input.limit + 1,
  });
  const people = await loadPeople(services.db, viewer, ids);
  return ids.flatMap((id) => (people.has(id) ? [people.get(id)!] : []));
}
