import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { siteUsers } from '../../schema/index.ts';

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
