import { and, asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { builtOnce } from '../../built-once.ts';
import type { Executor } from '../../client.ts';
import { sites, siteUsers } from '../../schema/index.ts';

export type SiteUserRow = typeof siteUsers.$inferSelect;

export async function insertSiteUser(db: Executor, row: typeof siteUsers.$inferInsert): Promise<SiteUserRow> {
  const [created] = await db.insert(siteUsers).values(row).returning();
  return created!;
}

const siteUserOfAccount = builtOnce((db) =>
  db
    .select({
      ...getTableColumns(siteUsers),
      migratingFrom: sql<string[]>`array(select o.id from site_users o
        where o.replaced_by = "site_users"."id" and o.status = 'active')`,
    })
    .from(siteUsers)
    .where(
      and(
        eq(siteUsers.siteId, sql.placeholder('siteId')),
        eq(siteUsers.accountId, sql.placeholder('accountId')),
      ),
    )
    .prepare('site_user_of_account'),
);

/**
 * The account's site user on a site, with `migratingFrom`: the site users of customers being migrated to it in
 * chunks (their requests are still partly theirs; reads include them so nothing disappears meanwhile).
 */
export async function findSiteUserOfAccount(db: Executor, siteId: string, accountId: string) {
  const [row] = await siteUserOfAccount(db).execute({ siteId, accountId });
  return row;
}

export async function findSiteUserOfCustomer(db: Executor, customerId: string) {
  const [row] = await db.select().from(siteUsers).where(eq(siteUsers.customerId, customerId));
  return row;
}

export async function findSiteUserById(db: Executor, siteUserId: string) {
  const [row] = await db.select().from(siteUsers).where(eq(siteUsers.id, siteUserId));
  return row;
}

export async function findSiteUser(db: Executor, siteId: string, siteUserId: string) {
  const [row] = await db
    .select()
    .from(siteUsers)
    .where(and(eq(siteUsers.siteId, siteId), eq(siteUsers.id, siteUserId)));
  return row;
}

/** Sites where the account is known as a site user (it has been on their help center, or was migrated there). */
export async function listSitesOfAccount(db: Executor, accountId: string) {
  return db
    .select({ siteId: sites.id, siteName: sites.name, orgId: sites.orgId })
    .from(siteUsers)
    .innerJoin(sites, eq(sites.id, siteUsers.siteId))
    .where(and(eq(siteUsers.accountId, accountId), eq(siteUsers.status, 'active')))
    .orderBy(asc(sites.name));
}

/** Site users of the given customers (one each). */
export async function findSiteUsersOfCustomers(db: Executor, customerIds: string[]) {
  if (customerIds.length === 0) return [];
  return db.select().from(siteUsers).where(inArray(siteUsers.customerId, customerIds));
}
