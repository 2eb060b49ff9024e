import { and, asc, countDistinct, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { accounts, groupMembers, groups, orgMemberships, products } from '../../schema/index.ts';

export type ProductRow = typeof products.$inferSelect;

export async function insertProduct(db: Executor, row: typeof products.$inferInsert): Promise<ProductRow> {
  const [created] = await db.insert(products).values(row).returning();
  return created!;
}

export async function findProduct(
  db: Executor,
  orgId: string,
  productId: string,
): Promise<ProductRow | undefined> {
  const [row] = await db
    .select()
    .from(products)
    .where(and(eq(products.orgId, orgId), eq(products.id, productId)));
  return row;
}

export async function listProducts(db: Executor, orgId: string, siteId?: string): Promise<ProductRow[]> {
  const where = siteId
    ? and(eq(products.orgId, orgId), eq(products.siteId, siteId))
    : eq(products.orgId, orgId);
  return db.select().from(products).where(where).orderBy(asc(products.siteId), asc(products.key));
}

/**
 * Locks the product row until the transaction ends, so concurrent grants count seats one at a time.
 */
export async function lockProduct(tx: Executor, productId: string): Promise<ProductRow | undefined> {
  const [row] = await tx.select().from(products).where(eq(products.id, productId)).for('update');
  return row;
}

/**
 * Seats used: distinct active accounts with an active (not suspended) membership that hold a billable role
 * (anything but `customer`) on the product through a group.
 */
export async function countSeatsUsed(db: Executor, productId: string): Promise<number> {
  const [row] = await db
    .select({ used: countDistinct(groupMembers.accountId) })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .innerJoin(accounts, eq(accounts.id, groupMembers.accountId))
    .innerJoin(
      orgMemberships,
      and(eq(orgMemberships.orgId, groups.orgId), eq(orgMemberships.accountId, groupMembers.accountId)),
    )
    .where(
      and(
        eq(groups.productId, productId),
        ne(groups.role, 'customer'),
        eq(accounts.status, 'active'),
        eq(orgMemberships.status, 'active'),
      ),
    );
  return Number(row?.used ?? 0);
}

/** Whether the account already holds a billable role on the product (then a grant uses no new seat). */
export async function holdsBillableRole(
  db: Executor,
  productId: string,
  accountId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(
      and(
        eq(groups.productId, productId),
        ne(groups.role, 'customer'),
        eq(groupMembers.accountId, accountId),
      ),
    )
    .limit(1);
  return row !== undefined;
}
