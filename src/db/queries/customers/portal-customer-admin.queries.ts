import { and, asc, eq, gt, inArray, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { accounts, authTokens, portalCustomers, sites } from '../../schema/index.ts';
import type { CustomerStatus } from '../../schema/portal-customers.ts';
import type { PortalCustomerRow } from './portal-customers.queries.ts';

export async function updatePortalCustomer(
  tx: Executor,
  customerId: string,
  changes: Partial<
    Pick<PortalCustomerRow, 'status' | 'displayName' | 'email' | 'passwordHash' | 'emailVerifiedAt'>
  >,
  now: Date,
): Promise<PortalCustomerRow> {
  const [row] = await tx
    .update(portalCustomers)
    .set({ ...changes, updatedAt: now })
    .where(eq(portalCustomers.id, customerId))
    .returning();
  return row!;
}

/** Spends every outstanding token (set password, reset, verify) of a customer. */
export async function spendCustomerTokens(tx: Executor, customerId: string, now: Date): Promise<void> {
  await tx
    .update(authTokens)
    .set({ usedAt: now })
    .where(and(eq(authTokens.customerId, customerId), sql`${authTokens.usedAt} is null`));
}

export interface CustomerListFilter {
  /** Case-insensitive substring of the email or the name; deleted customers never match. */
  query?: string;
  statuses?: CustomerStatus[];
  afterId?: string;
  limit: number;
}

/** A page of a site's portal-only customers, ordered by id. */
export async function listSiteCustomers(
  db: Executor,
  siteId: string,
  filter: CustomerListFilter,
): Promise<PortalCustomerRow[]> {
  const conditions = [eq(portalCustomers.siteId, siteId)];
  if (filter.statuses?.length) conditions.push(inArray(portalCustomers.status, filter.statuses));
  if (filter.afterId) conditions.push(gt(portalCustomers.id, filter.afterId));
  if (filter.query) {
    const pattern = `%${filter.query.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conditions.push(ne(portalCustomers.status, 'deleted'));
    conditions.push(
      or(
        sql`lower(${portalCustomers.email}) like ${pattern}`,
        sql`lower(${portalCustomers.displayName}) like ${pattern}`,
      )!,
    );
  }
  return db
    .select()
    .from(portalCustomers)
    .where(and(...conditions))
    .orderBy(asc(portalCustomers.id))
    .limit(filter.limit);
}

/** The account sharing a customer's email (case-insensitive), if any: the duplicate note. */
export async function findAccountTwin(db: Executor, email: string) {
  const [row] = await db
    .select({ id: accounts.id, email: accounts.email, emailVerifiedAt: accounts.emailVerifiedAt })
    .from(accounts)
    .where(sql`lower(${accounts.email}) = lower(${email})`);
  return row;
}

/** Live (active or revoked) portal-only customers on the org's sites with this email. */
export async function listCustomerTwins(db: Executor, orgId: string, email: string) {
  return db
    .select({
      id: portalCustomers.id,
      siteId: portalCustomers.siteId,
      siteName: sites.name,
      displayName: portalCustomers.displayName,
      status: portalCustomers.status,
    })
    .from(portalCustomers)
    .innerJoin(sites, eq(sites.id, portalCustomers.siteId))
    .where(
      and(
        eq(portalCustomers.orgId, orgId),
        sql`lower(${portalCustomers.email}) = lower(${email})`,
        inArray(portalCustomers.status, ['active', 'revoked']),
      ),
    )
    .orderBy(asc(sites.name));
}
