import { and, asc, countDistinct, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { accounts, groupMembers, groups, orgMemberships, products, sites } from '../../schema/index.ts';

export type ProductRow = typeof products.$inferSelect;

/** The seat rule in SQL (see domain/directory/seats.ts): every group role but `customer` uses a seat. */
const billableRole = ne(groups.role, 'customer');

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
        billableRole,
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
    .where(and(eq(groups.productId, productId), billableRole, eq(groupMembers.accountId, accountId)))
    .limit(1);
  return row !== undefined;
}

/** The site's Jira Service Management product: seats used and its limit (licence impact of a migration). */
export async function findJsmLicence(db: Executor, siteId: string) {
  const [product] = await db
    .select()
    .from(products)
    .where(and(eq(products.siteId, siteId), eq(products.key, 'jira-servicemanagement')));
  if (!product) return undefined;
  return {
    productId: product.id,
    seatLimit: product.seatLimit,
    seatsUsed: await countSeatsUsed(db, product.id),
  };
}

/** Accounts among `accountIds` that already hold a billable role on the product. */
export async function findBillableAccounts(db: Executor, productId: string, accountIds: string[]) {
  if (accountIds.length === 0) return new Set<string>();
  const rows = await db
    .selectDistinct({ accountId: groupMembers.accountId })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(eq(groups.productId, productId), billableRole, inArray(groupMembers.accountId, accountIds)));
  return new Set(rows.map((r) => r.accountId));
}

/** Every product of the org with its site name. */
export async function listProductsWithSites(db: Executor, orgId: string) {
  return db
    .select({ product: products, siteName: sites.name })
    .from(products)
    .innerJoin(sites, eq(sites.id, products.siteId))
    .where(eq(products.orgId, orgId))
    .orderBy(asc(sites.name), asc(products.key));
}
