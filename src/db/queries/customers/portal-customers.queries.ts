import { and, asc, desc, eq, gt, inArray, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { accounts, portalCustomers, sites, siteUsers } from '../../schema/index.ts';
import type { CustomerStatus } from '../../schema/portal-customers.ts';

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

export async function setCustomerPassword(db: Executor, customerId: string, passwordHash: string, at: Date) {
  await db
    .update(portalCustomers)
    .set({ passwordHash, updatedAt: at })
    .where(eq(portalCustomers.id, customerId));
}

export async function markCustomerEmailVerified(db: Executor, customerId: string, at: Date) {
  await db
    .update(portalCustomers)
    .set({ emailVerifiedAt: at, updatedAt: at })
    .where(and(eq(portalCustomers.id, customerId), isNull(portalCustomers.emailVerifiedAt)));
}

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

/** Customers of an org by id (any site), to tell "other site" from "unknown". */
export async function findCustomersByIds(db: Executor, orgId: string, customerIds: string[]) {
  if (customerIds.length === 0) return [];
  return db
    .select()
    .from(portalCustomers)
    .where(and(eq(portalCustomers.orgId, orgId), inArray(portalCustomers.id, customerIds)));
}

/** The newest customer of the site for each email (live ones first), for starts by email. */
export async function findCustomersByEmails(db: Executor, siteId: string, emails: string[]) {
  if (emails.length === 0) return [];
  const lowered = emails.map((email) => email.toLowerCase());
  return db
    .select()
    .from(portalCustomers)
    .where(
      and(eq(portalCustomers.siteId, siteId), inArray(sql<string>`lower(${portalCustomers.email})`, lowered)),
    )
    .orderBy(
      sql`case when ${portalCustomers.status} in ('active', 'revoked', 'migrating') then 0 else 1 end`,
      sql`${portalCustomers.createdAt} desc`,
    );
}

/**
 * Live portal-only customers (active or revoked) of the site whose email has an account: the duplicates
 * migration fixes. Ordered by customer id, after the cursor.
 */
export async function listDuplicateCandidates(
  db: Executor,
  siteId: string,
  afterCustomerId: string | undefined,
  limit: number,
) {
  const conditions = [
    eq(portalCustomers.siteId, siteId),
    inArray(portalCustomers.status, ['active', 'revoked']),
  ];
  if (afterCustomerId) conditions.push(gt(portalCustomers.id, afterCustomerId));
  return db
    .select({ customer: portalCustomers, account: accounts })
    .from(portalCustomers)
    .innerJoin(accounts, sql`lower(${accounts.email}) = lower(${portalCustomers.email})`)
    .where(and(...conditions))
    .orderBy(asc(portalCustomers.id))
    .limit(limit);
}

/** Ids of live customers of the site (for "migrate all"), ordered by id, after the cursor. */
export async function listMigratableCustomers(
  db: Executor,
  siteId: string,
  afterCustomerId: string | undefined,
  limit: number,
  includeRevoked: boolean,
) {
  const conditions = [
    eq(portalCustomers.siteId, siteId),
    inArray(portalCustomers.status, includeRevoked ? ['active', 'revoked'] : ['active']),
  ];
  if (afterCustomerId) conditions.push(gt(portalCustomers.id, afterCustomerId));
  return db
    .select({
      id: portalCustomers.id,
      email: portalCustomers.email,
      displayName: portalCustomers.displayName,
      status: portalCustomers.status,
    })
    .from(portalCustomers)
    .where(and(...conditions))
    .orderBy(asc(portalCustomers.id))
    .limit(limit);
}

/** A portal-only customer of the site with its site user id, in one query (resolving a customer caller). */
export async function findCustomerOnSite(db: Executor, siteId: string, customerId: string) {
  const [row] = await db
    .select({ status: portalCustomers.status, siteUserId: siteUsers.id })
    .from(portalCustomers)
    .leftJoin(siteUsers, eq(siteUsers.customerId, portalCustomers.id))
    .where(and(eq(portalCustomers.siteId, siteId), eq(portalCustomers.id, customerId)));
  return row;
}
