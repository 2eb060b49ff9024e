import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { sites, siteUsers } from '../../schema/index.ts';

export type SiteUserRow = typeof siteUsers.$inferSelect;

export async function insertSiteUser(db: Executor, row: typeof siteUsers.$inferInsert): Promise<SiteUserRow> {
  const [created] = await db.insert(siteUsers).values(row).returning();
  return created!;
}

export async function findSiteUserOfAccount(db: Executor, siteId: string, accountId: string) {
  const [row] = await db
    .select()
    .from(siteUsers)
    .where(and(eq(siteUsers.siteId, siteId), eq(siteUsers.accountId, accountId)));
  return row;
}

export async function findSiteUserOfCustomer(db: Executor, customerId: string) {
  const [row] = await db.select().from(siteUsers).where(eq(siteUsers.customerId, customerId));
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
