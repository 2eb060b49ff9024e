import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import {
  customerOrganizationMembers,
  customerOrganizations,
  serviceDeskOrganizations,
} from '../../schema/index.ts';
import { rowsOf } from '../raw-rows.ts';

export type CustomerOrganizationRow = typeof customerOrganizations.$inferSelect;

export async function insertCustomerOrganization(
  db: Executor,
  row: typeof customerOrganizations.$inferInsert,
): Promise<CustomerOrganizationRow> {
  const [created] = await db.insert(customerOrganizations).values(row).returning();
  return created!;
}

export async function findCustomerOrganization(db: Executor, siteId: string, id: number) {
  const [row] = await db
    .select()
    .from(customerOrganizations)
    .where(and(eq(customerOrganizations.siteId, siteId), eq(customerOrganizations.id, id)));
  return row;
}

export async function findCustomerOrganizationByName(db: Executor, siteId: string, name: string) {
  const [row] = await db
    .select()
    .from(customerOrganizations)
    .where(
      and(
        eq(customerOrganizations.siteId, siteId),
        sql`lower(${customerOrganizations.name}) = lower(${name})`,
      ),
    );
  return row;
}

export async function renameCustomerOrganization(db: Executor, id: number, name: string) {
  const [row] = await db
    .update(customerOrganizations)
    .set({ name })
    .where(eq(customerOrganizations.id, id))
    .returning();
  return row!;
}

export async function deleteCustomerOrganization(db: Executor, id: number): Promise<void> {
  await db.delete(customerOrganizations).where(eq(customerOrganizations.id, id));
}

/**
 * Organizations of a site by id; `memberSiteUserId` keeps those the site user belongs to (`accountId` filter),
 * `serviceDeskId` those attached to a desk.
 */
export async function listCustomerOrganizations(
  db: Executor,
  siteId: string,
  options: { memberSiteUserId?: string; serviceDeskId?: number; start: number; limit: number },
): Promise<CustomerOrganizationRow[]> {
  const conditions = [eq(customerOrganizations.siteId, siteId)];
  if (options.memberSiteUserId !== undefined)
    conditions.push(
      sql`exists (select 1 from ${customerOrganizationMembers} m where m.customer_organization_id = ${customerOrganizations.id} and m.site_user_id = ${options.memberSiteUserId})`,
    );
  if (options.serviceDeskId !== undefined)
    conditions.push(
      sql`exists (select 1 from ${serviceDeskOrganizations} d where d.customer_organization_id = ${customerOrganizations.id} and d.service_desk_id = ${options.serviceDeskId})`,
    );
  return db
    .select()
    .from(customerOrganizations)
    .where(and(...conditions))
    .orderBy(asc(customerOrganizations.id))
    .limit(options.limit)
    .offset(options.start);
}

export async function insertOrganizationMembers(
  db: Executor,
  orgId: string,
  customerOrganizationId: number,
  siteUserIds: string[],
): Promise<void> {
  if (siteUserIds.length === 0) return;
  await db
    .insert(customerOrganizationMembers)
    .values(siteUserIds.map((siteUserId) => ({ orgId, customerOrganizationId, siteUserId })))
    .onConflictDoNothing();
}

export async function deleteOrganizationMembers(
  db: Executor,
  customerOrganizationId: number,
  siteUserIds: string[],
): Promise<void> {
  if (siteUserIds.length === 0) return;
  await db
    .delete(customerOrganizationMembers)
    .where(
      and(
        eq(customerOrganizationMembers.customerOrganizationId, customerOrganizationId),
        inArray(customerOrganizationMembers.siteUserId, siteUserIds),
      ),
    );
}

export async function listOrganizationMemberIds(
  db: Executor,
  customerOrganizationId: number,
  options: { start: number; limit: number },
): Promise<string[]> {
  const rows = await db
    .select({ id: customerOrganizationMembers.siteUserId })
    .from(customerOrganizationMembers)
    .where(eq(customerOrganizationMembers.customerOrganizationId, customerOrganizationId))
    .orderBy(asc(customerOrganizationMembers.createdAt), asc(customerOrganizationMembers.siteUserId))
    .limit(options.limit)
    .offset(options.start);
  return rows.map((r) => r.id);
}

/** Ids of the organizations (of the given ones) that the site user belongs to. */
export async function findMemberships(
  db: Executor,
  siteUserId: string,
  organizationIds?: number[],
): Promise<number[]> {
  const conditions = [eq(customerOrganizationMembers.siteUserId, siteUserId)];
  if (organizationIds) {
    if (organizationIds.length === 0) return [];
    conditions.push(inArray(customerOrganizationMembers.customerOrganizationId, organizationIds));
  }
  const rows = await db
    .select({ id: customerOrganizationMembers.customerOrganizationId })
    .from(customerOrganizationMembers)
    .where(and(...conditions));
  return rows.map((r) => r.id);
}

/** Whether two site users share at least one customer organization. */
export async function shareAnOrganization(db: Executor, a: string, b: string): Promise<boolean> {
  const result = await db.execute(sql`select 1 as ok from ${customerOrganizationMembers} m1
    join ${customerOrganizationMembers} m2 on m2.customer_organization_id = m1.customer_organization_id
    where m1.site_user_id = ${a} and m2.site_user_id = ${b} limit 1`);
  return rowsOf(result).length > 0;
}
