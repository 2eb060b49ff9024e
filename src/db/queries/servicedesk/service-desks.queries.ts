import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import {
  accounts,
  customerOrganizationMembers,
  portalCustomers,
  serviceDeskAgents,
  serviceDeskCustomers,
  serviceDeskOrganizations,
  serviceDesks,
  siteUsers,
} from '../../schema/index.ts';
import { rowsOf } from '../raw-rows.ts';
import { personMatches } from './people.queries.ts';

export type ServiceDeskRow = typeof serviceDesks.$inferSelect;

export async function insertServiceDesk(
  db: Executor,
  row: typeof serviceDesks.$inferInsert,
): Promise<ServiceDeskRow> {
  const [created] = await db.insert(serviceDesks).values(row).returning();
  return created!;
}

/** A desk of the site by id or project key (JSM accepts either wherever `serviceDeskId` is a path parameter). */
export async function findServiceDesk(db: Executor, siteId: string, idOrKey: string | number) {
  const id = typeof idOrKey === 'number' ? idOrKey : /^\d{1,9}$/.test(idOrKey) ? Number(idOrKey) : undefined;
  const [row] = await db
    .select()
    .from(serviceDesks)
    .where(
      and(
        eq(serviceDesks.siteId, siteId),
        id === undefined
          ? eq(serviceDesks.projectKey, String(idOrKey).toUpperCase())
          : or(eq(serviceDesks.id, id), eq(serviceDesks.projectId, id)),
      ),
    );
  return row;
}

/** Locks the desk row and hands out the next request number (`<KEY>-<n>`). */
export async function takeNextIssueNumber(db: Executor, serviceDeskId: number): Promise<number> {
  const [row] = await db
    .update(serviceDesks)
    .set({ nextIssueNumber: sql`${serviceDesks.nextIssueNumber} + 1` })
    .where(eq(serviceDesks.id, serviceDeskId))
    .returning({ next: serviceDesks.nextIssueNumber });
  return row!.next - 1;
}

/** Reserves `count` consecutive numbers at once (bulk seeding); returns the first. */
export async function takeIssueNumbers(db: Executor, serviceDeskId: number, count: number): Promise<number> {
  const [row] = await db
    .update(serviceDesks)
    .set({ nextIssueNumber: sql`${serviceDesks.nextIssueNumber} + ${count}` })
    .where(eq(serviceDesks.id, serviceDeskId))
    .returning({ next: serviceDesks.nextIssueNumber });
  return row!.next - count;
}

/** The next free project id on the site (project ids differ from desk ids, as in JSM). */
export async function nextProjectId(db: Executor, siteId: string): Promise<number> {
  const [row] = await db
    .select({ max: sql<number | null>`max(${serviceDesks.projectId})` })
    .from(serviceDesks)
    .where(eq(serviceDesks.siteId, siteId));
  return Math.max(10000, Number(row?.max ?? 9999)) + 1;
}

/**
 * Desks of a site, ordered by id. `customerSiteUserId` limits them to the desks a customer can reach: open
 * desks, desks listing them as a customer, and desks attached to one of their customer organizations.
 */
export async function listServiceDesks(
  db: Executor,
  siteId: string,
  options: { customerSiteUserId?: string | null; start: number; limit: number },
): Promise<ServiceDeskRow[]> {
  const conditions: SQL[] = [eq(serviceDesks.siteId, siteId)];
  if (options.customerSiteUserId !== undefined) conditions.push(deskReachableBy(options.customerSiteUserId));
  return db
    .select()
    .from(serviceDesks)
    .where(and(...conditions))
    .orderBy(asc(serviceDesks.id))
    .limit(options.limit)
    .offset(options.start);
}

/** SQL: the desk (in scope as `service_desks`) is reachable by the customer's site user. */
export function deskReachableBy(siteUserId: string | null): SQL {
  if (!siteUserId) return sql`${serviceDesks.access} = 'open'`;
  return sql`(${serviceDesks.access} = 'open'
    or exists (select 1 from ${serviceDeskCustomers} sdc where sdc.service_desk_id = ${serviceDesks.id} and sdc.site_user_id = ${siteUserId})
    or exists (select 1 from ${serviceDeskOrganizations} sdo join ${customerOrganizationMembers} com on com.customer_organization_id = sdo.customer_organization_id
               where sdo.service_desk_id = ${serviceDesks.id} and com.site_user_id = ${siteUserId}))`;
}

/** Whether the site user is a customer of the desk: listed, or through an attached customer organization. */
export async function isDeskCustomer(
  db: Executor,
  serviceDeskId: number,
  siteUserId: string,
): Promise<boolean> {
  const rows = await db.execute<{ ok: number }>(sql`select 1 as ok where exists (
      select 1 from ${serviceDeskCustomers} where service_desk_id = ${serviceDeskId} and site_user_id = ${siteUserId})
    or exists (select 1 from ${serviceDeskOrganizations} sdo join ${customerOrganizationMembers} com
      on com.customer_organization_id = sdo.customer_organization_id
      where sdo.service_desk_id = ${serviceDeskId} and com.site_user_id = ${siteUserId})`);
  return rowsOf(rows).length > 0;
}

/** Adds customers to the desk's Customers list; existing ones are left alone. */
export async function insertDeskCustomers(
  db: Executor,
  orgId: string,
  serviceDeskId: number,
  siteUserIds: string[],
): Promise<void> {
  if (siteUserIds.length === 0) return;
  await db
    .insert(serviceDeskCustomers)
    .values(siteUserIds.map((siteUserId) => ({ orgId, serviceDeskId, siteUserId })))
    .onConflictDoNothing();
}

export async function deleteDeskCustomers(
  db: Executor,
  serviceDeskId: number,
  siteUserIds: string[],
): Promise<void> {
  if (siteUserIds.length === 0) return;
  await db
    .delete(serviceDeskCustomers)
    .where(
      and(
        eq(serviceDeskCustomers.serviceDeskId, serviceDeskId),
        inArray(serviceDeskCustomers.siteUserId, siteUserIds),
      ),
    );
}

export async function insertDeskAgent(
  db: Executor,
  row: typeof serviceDeskAgents.$inferInsert,
): Promise<void> {
  await db.insert(serviceDeskAgents).values(row).onConflictDoNothing();
}

export async function attachDeskOrganization(
  db: Executor,
  orgId: string,
  serviceDeskId: number,
  customerOrganizationId: number,
): Promise<void> {
  await db
    .insert(serviceDeskOrganizations)
    .values({ orgId, serviceDeskId, customerOrganizationId })
    .onConflictDoNothing();
}

export async function detachDeskOrganization(
  db: Executor,
  serviceDeskId: number,
  customerOrganizationId: number,
): Promise<void> {
  await db
    .delete(serviceDeskOrganizations)
    .where(
      and(
        eq(serviceDeskOrganizations.serviceDeskId, serviceDeskId),
        eq(serviceDeskOrganizations.customerOrganizationId, customerOrganizationId),
      ),
    );
}

/** Several desks of a site by id, in one statement (for a page of requests). */
export async function findServiceDesksByIds(db: Executor, siteId: string, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(serviceDesks)
    .where(and(eq(serviceDesks.siteId, siteId), inArray(serviceDesks.id, ids)));
}

/** Site user ids on a desk's Customers list, optionally matching `query` (name or email), oldest first. */
export async function listDeskCustomerIdsMatching(
  db: Executor,
  serviceDeskId: number,
  options: { query?: string; start: number; limit: number },
): Promise<string[]> {
  const conditions = [eq(serviceDeskCustomers.serviceDeskId, serviceDeskId)];
  if (options.query) conditions.push(personMatches(options.query));
  const rows = await db
    .select({ id: serviceDeskCustomers.siteUserId })
    .from(serviceDeskCustomers)
    .innerJoin(siteUsers, eq(siteUsers.id, serviceDeskCustomers.siteUserId))
    .leftJoin(accounts, eq(accounts.id, siteUsers.accountId))
    .leftJoin(portalCustomers, eq(portalCustomers.id, siteUsers.customerId))
    .where(and(...conditions))
    .orderBy(asc(serviceDeskCustomers.createdAt), asc(serviceDeskCustomers.siteUserId))
    .limit(options.limit)
    .offset(options.start);
  return rows.map((r) => r.id);
}
