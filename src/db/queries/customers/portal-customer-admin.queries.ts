import { and, asc, desc, eq, gt, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
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

/** Columns a customers page can be sorted by (then by id, so pages are stable). */
export type CustomerSort = 'name' | 'email' | 'status';

export interface CustomerListFilter {
  /** Case-insensitive substring of the email or the name; deleted customers never match. */
  query?: string;
  statuses?: CustomerStatus[];
  afterId?: string;
  limit: number;
  /** Without it, id order (keyset by `afterId`); with it, `offset` pages. */
  sort?: CustomerSort;
  descending?: boolean;
  offset?: number;
}

function customerConditions(siteId: string, filter: Omit<CustomerListFilter, 'limit'>): SQL[] {
  const conditions: SQL[] = [eq(portalCustomers.siteId, siteId)];
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
  return conditions;
}

const SORT_COLUMNS = {
  name: sql`lower(${portalCustomers.displayName})`,
  email: sql`lower(${portalCustomers.email})`,
  status: portalCustomers.status,
} as const;

/** A page of a site's portal-only customers, ordered by id or by `sort`. */
export async function listSiteCustomers(
  db: Executor,
  siteId: string,
  filter: CustomerListFilter,
): Promise<PortalCustomerRow[]> {
  const order = filter.sort
    ? [
        filter.descending ? desc(SORT_COLUMNS[filter.sort]) : asc(SORT_COLUMNS[filter.sort]),
        asc(portalCustomers.id),
      ]
    : [asc(portalCustomers.id)];
  return db
    .select()
    .from(portalCustomers)
    .where(and(...customerConditions(siteId, filter)))
    .orderBy(...order)
    .limit(filter.limit)
    .offset(filter.sort ? (filter.offset ?? 0) : 0);
}

/** How many of a site's customers match a filter (the list's total). */
export async function countSiteCustomers(
  db: Executor,
  siteId: string,
  filter: Omit<CustomerListFilter, 'limit' | 'afterId'>,
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(portalCustomers)
    .where(and(...customerConditions(siteId, filter)));
  return Number(row?.n ?? 0);
}

/** The account sharing a customer's email (case-insensitive), if any: the duplicate note. */
export async function findAccountTwin(db: Executor, email: string) {
  const [row] = await db
    .select({ id: accounts.id, email: accounts.email, emailVerifiedAt: accounts.emailVerifiedAt })
    .from(accounts)
    .where(sql`lower(${accounts.email}) = lower(${email})`);
  return row;
}

/** Lower-cased emails among these that an account holds (the duplicate badges of a customers page). */
export async function listAccountEmailsAmong(db: Executor, emails: string[]): Promise<string[]> {
  if (emails.length === 0) return [];
  const rows = await db
    .select({ email: sql<string>`lower(${accounts.email})` })
    .from(accounts)
    .where(
      inArray(
        sql`lower(${accounts.email})`,
        emails.map((e) => e.toLowerCase()),
      ),
    );
  return rows.map((r) => r.email);
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
