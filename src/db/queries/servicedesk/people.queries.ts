import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import {
  accounts,
  groupMembers,
  groups,
  portalCustomers,
  serviceDeskCustomers,
  sites,
  siteUsers,
} from '../../schema/index.ts';

/** A site user with what a presenter needs: the public id (account id or `qm:` id), name, email, status. */
export interface PersonRow {
  siteUserId: string;
  userKey: string;
  kind: 'customer' | 'account';
  siteUserStatus: 'active' | 'retired';
  accountId: string | null;
  customerId: string | null;
  accountName: string | null;
  accountEmail: string | null;
  accountStatus: 'active' | 'inactive' | 'closed' | null;
  accountTimeZone: string | null;
  customerName: string | null;
  customerEmail: string | null;
  customerStatus: 'active' | 'revoked' | 'migrating' | 'migrated' | 'deleted' | null;
  customerTimeZone: string | null;
  /** The account a migrated customer became. */
  customerMigratedTo: string | null;
}

/** The columns of a `PersonRow`, for queries that join a person in. */
export const personColumns = {
  siteUserId: siteUsers.id,
  userKey: siteUsers.userKey,
  kind: siteUsers.kind,
  siteUserStatus: siteUsers.status,
  accountId: siteUsers.accountId,
  customerId: siteUsers.customerId,
  accountName: accounts.name,
  accountEmail: accounts.email,
  accountStatus: accounts.status,
  accountTimeZone: accounts.timeZone,
  customerName: portalCustomers.displayName,
  customerEmail: portalCustomers.email,
  customerStatus: portalCustomers.status,
  customerTimeZone: portalCustomers.timeZone,
  customerMigratedTo: portalCustomers.migratedToAccountId,
};

/** People of one site by site user id, in one query (order not guaranteed). */
export async function findPeople(db: Executor, siteId: string, siteUserIds: string[]): Promise<PersonRow[]> {
  if (siteUserIds.length === 0) return [];
  return db
    .select(personColumns)
    .from(siteUsers)
    .leftJoin(accounts, eq(accounts.id, siteUsers.accountId))
    .leftJoin(portalCustomers, eq(portalCustomers.id, siteUsers.customerId))
    .where(and(eq(siteUsers.siteId, siteId), inArray(siteUsers.id, [...new Set(siteUserIds)])));
}

/**
 * The site users behind public ids on one site: `qm:` ids of the site's portal-only customers, and account ids
 * of accounts that already have a site user there.
 */
export async function findPeopleByPublicIds(
  db: Executor,
  siteId: string,
  publicIds: string[],
): Promise<PersonRow[]> {
  if (publicIds.length === 0) return [];
  return db
    .select(personColumns)
    .from(siteUsers)
    .leftJoin(accounts, eq(accounts.id, siteUsers.accountId))
    .leftJoin(portalCustomers, eq(portalCustomers.id, siteUsers.customerId))
    .where(
      and(
        eq(siteUsers.siteId, siteId),
        or(inArray(siteUsers.accountId, publicIds), inArray(siteUsers.customerId, publicIds)),
      ),
    );
}

/** Site users whose name or email contains `query` (case-insensitive), among the given ids. */
export function personMatches(query: string) {
  const like = `%${query.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return sql`(coalesce(${accounts.name}, ${portalCustomers.displayName}) ilike ${like}
    or coalesce(${accounts.email}, ${portalCustomers.email}) ilike ${like})`;
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

/** Names of the account's groups in one organization, by name. */
export async function listGroupNamesOfAccount(
  db: Executor,
  orgId: string,
  accountId: string,
): Promise<string[]> {
  const rows = await db
    .select({ name: groups.name })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(eq(groups.orgId, orgId), eq(groupMembers.accountId, accountId)))
    .orderBy(asc(groups.name));
  return rows.map((r) => r.name);
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

/**
 * A site by name with one portal-only customer's status and site user on it, in one statement (resolving a
 * customer caller of `/sites/{site}/…`). `status` is null when the customer is not of this site.
 */
export async function findSiteWithCustomer(db: Executor, siteName: string, customerId: string) {
  const [row] = await db
    .select({ site: sites, status: portalCustomers.status, siteUserId: siteUsers.id })
    .from(sites)
    .leftJoin(portalCustomers, and(eq(portalCustomers.siteId, sites.id), eq(portalCustomers.id, customerId)))
    .leftJoin(siteUsers, eq(siteUsers.customerId, portalCustomers.id))
    .where(sql`lower(${sites.name}) = lower(${siteName})`);
  return row;
}
