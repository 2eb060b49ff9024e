import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { builtOnce } from '../../built-once.ts';
import type { Executor } from '../../client.ts';
import { accounts, portalCustomers, siteUsers } from '../../schema/index.ts';

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

const peopleById = builtOnce((db) =>
  db
    .select(personColumns)
    .from(siteUsers)
    .leftJoin(accounts, eq(accounts.id, siteUsers.accountId))
    .leftJoin(portalCustomers, eq(portalCustomers.id, siteUsers.customerId))
    .where(
      and(
        eq(siteUsers.siteId, sql.placeholder('siteId')),
        sql`${siteUsers.id} = any(${sql.placeholder('ids')}::text[])`,
      ),
    )
    .prepare('people_by_id'),
);

/** People of one site by site user id, in one query (order not guaranteed). */
export async function findPeople(db: Executor, siteId: string, siteUserIds: string[]): Promise<PersonRow[]> {
  if (siteUserIds.length === 0) return [];
  return peopleById(db).execute({ siteId, ids: [...new Set(siteUserIds)] });
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
