import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { portalCustomers, siteUsers } from '../../schema/index.ts';

export type PortalCustomerRow = typeof portalCustomers.$inferSelect;

export async function insertPortalCustomer(
  db: Executor,
  row: typeof portalCustomers.$inferInsert,
): Promise<PortalCustomerRow> {
  const [created] = await db.insert(portalCustomers).values(row).returning();
  return created!;
}

export async function findPortalCustomer(db: Executor, siteId: string, customerId: string) {
  const [row] = await db
    .select()
    .from(portalCustomers)
    .where(and(eq(portalCustomers.siteId, siteId), eq(portalCustomers.id, customerId)));
  return row;
}

/** The org's customers among these ids (any status, any of its sites), for showing ids as people. */
export async function listOrgCustomersByIds(db: Executor, orgId: string, customerIds: string[]) {
  if (customerIds.length === 0) return [];
  return db
    .select({
      id: portalCustomers.id,
      siteId: portalCustomers.siteId,
      displayName: portalCustomers.displayName,
      email: portalCustomers.email,
      status: portalCustomers.status,
    })
    .from(portalCustomers)
    .where(and(eq(portalCustomers.orgId, orgId), inArray(portalCustomers.id, customerIds)));
}

/** The live (active, revoked or migrating) customer of a site with this email. */
export async function findLiveCustomerByEmail(db: Executor, siteId: string, email: string) {
  const [row] = await db
    .select()
    .from(portalCustomers)
    .where(
      and(
        eq(portalCustomers.siteId, siteId),
        sql`lower(${portalCustomers.email}) = lower(${email})`,
        inArray(portalCustomers.status, ['active', 'revoked', 'migrating']),
      ),
    );
  return row;
}

/**
 * Locks a customer of one site until the transaction ends (status changes and migrations of a customer are
 * serialized), reading its site user in the same statement.
 */
export async function lockPortalCustomer(
  tx: Executor,
  siteId: string,
  customerId: string,
): Promise<{ customer: PortalCustomerRow; siteUser: typeof siteUsers.$inferSelect | null } | undefined> {
  const [row] = await tx
    .select({ customer: portalCustomers, siteUser: siteUsers })
    .from(portalCustomers)
    .leftJoin(siteUsers, eq(siteUsers.customerId, portalCustomers.id))
    .where(and(eq(portalCustomers.siteId, siteId), eq(portalCustomers.id, customerId)))
    .for('update', { of: portalCustomers });
  return row;
}

/** The customer of a site with this email that was migrated to an account (the newest, if several). */
export async function findMigratedCustomerByEmail(db: Executor, siteId: string, email: string) {
  const [row] = await db
    .select({ id: portalCustomers.id, passwordHash: portalCustomers.passwordHash })
    .from(portalCustomers)
    .where(
      and(
        eq(portalCustomers.siteId, siteId),
        sql`lower(${portalCustomers.email}) = lower(${email})`,
        eq(portalCustomers.status, 'migrated'),
      ),
    )
    .orderBy(desc(portalCustomers.migratedAt))
    .limit(1);
  return row;
}
