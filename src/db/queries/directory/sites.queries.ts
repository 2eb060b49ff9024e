import { and, asc, eq, sql } from 'drizzle-orm';
import { builtOnce } from '../../built-once.ts';
import type { Executor } from '../../client.ts';
import { portalCustomers, sites, siteUsers } from '../../schema/index.ts';

export type SiteRow = typeof sites.$inferSelect;

export async function insertSite(db: Executor, row: typeof sites.$inferInsert): Promise<SiteRow> {
  const [created] = await db.insert(sites).values(row).returning();
  return created!;
}

const siteByName = builtOnce((db) =>
  db
    .select()
    .from(sites)
    .where(sql`lower(${sites.name}) = lower(${sql.placeholder('name')})`)
    .prepare('site_by_name'),
);

/** A site by its (case-insensitive) name, across tenants: site names are globally unique, like hostnames. */
export async function findSiteByName(db: Executor, name: string): Promise<SiteRow | undefined> {
  const [row] = await siteByName(db).execute({ name });
  return row;
}

export async function findSite(db: Executor, orgId: string, siteId: string): Promise<SiteRow | undefined> {
  const [row] = await db
    .select()
    .from(sites)
    .where(and(eq(sites.orgId, orgId), eq(sites.id, siteId)));
  return row;
}

export async function listSites(db: Executor, orgId: string): Promise<SiteRow[]> {
  return db.select().from(sites).where(eq(sites.orgId, orgId)).orderBy(asc(sites.name));
}

/** Every site's name, of every organization (the landing page of local mode), in name order. */
export async function listAllSiteNames(db: Executor): Promise<string[]> {
  const rows = await db.select({ name: sites.name }).from(sites).orderBy(asc(sites.name));
  return rows.map((row) => row.name);
}

const siteWithCustomer = builtOnce((db) =>
  db
    .select({ site: sites, status: portalCustomers.status, siteUserId: siteUsers.id })
    .from(sites)
    .leftJoin(
      portalCustomers,
      and(eq(portalCustomers.siteId, sites.id), eq(portalCustomers.id, sql.placeholder('customerId'))),
    )
    .leftJoin(siteUsers, eq(siteUsers.customerId, portalCustomers.id))
    .where(sql`lower(${sites.name}) = lower(${sql.placeholder('siteName')})`)
    .prepare('site_with_customer'),
);

/**
 * A site by name with one portal-only customer's status and site user on it, in one statement (resolving a
 * customer caller of `/sites/{site}/…`). `status` is null when the customer is not of this site.
 */
export async function findSiteWithCustomer(db: Executor, siteName: string, customerId: string) {
  const [row] = await siteWithCustomer(db).execute({ siteName, customerId });
  return row;
}
