import { and, asc, eq } from 'drizzle-orm';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { personMatches } from '#src/db/queries/servicedesk/people.queries.ts';
import { accounts, portalCustomers, serviceDeskCustomers, siteUsers } from '#src/db/schema/index.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { assertAgent, resolveDeskViewer } from './desk-viewer.ts';
import { getServiceDeskFor } from './get-service-desk.ts';
import { loadPeople, type Person } from './people.ts';

/**
 * The desk's Customers list (agents), optionally filtered by name or email; `limit + 1` rows so the edge can
 * tell the last page.
 * @throws {AppError} `auth.forbidden`, `servicedesk.not_found`
 */
export async function listDeskCustomers(
  services: Pick<AppServices, 'db'>,
  actor: Actor,
  site: SiteRow,
  input: { serviceDeskId: string | number; query?: string; start: number; limit: number },
): Promise<Person[]> {
  const viewer = await resolveDeskViewer(services.db, actor, site);
  assertAgent(viewer);
  const desk = await getServiceDeskFor(services, viewer, input.serviceDeskId);
  const conditions = [eq(serviceDeskCustomers.serviceDeskId, desk.id)];
  if (input.query) conditions.push(personMatches(input.query));
  const rows = await services.db
    .select({ id: serviceDeskCustomers.siteUserId })
    .from(serviceDeskCustomers)
    .innerJoin(siteUsers, eq(siteUsers.id, serviceDeskCustomers.siteUserId))
    .leftJoin(accounts, eq(accounts.id, siteUsers.accountId))
    .leftJoin(portalCustomers, eq(portalCustomers.id, siteUsers.customerId))
    .where(and(...conditions))
    .orderBy(asc(serviceDeskCustomers.createdAt), asc(serviceDeskCustomers.siteUserId))
    .limit(input.limit + 1)
    .offset(input.start);
  const people = await loadPeople(
    services.db,
    rows.map((r) => r.id),
  );
  return rows.flatMap((r) => (people.has(r.id) ? [people.get(r.id)!] : []));
}
