import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { builtOnce } from '../../built-once.ts';
import type { Executor } from '../../client.ts';
import { organizations } from '../../schema/index.ts';

export type OrganizationRow = typeof organizations.$inferSelect;

export async function insertOrganization(
  db: Executor,
  row: typeof organizations.$inferInsert,
): Promise<OrganizationRow> {
  const [created] = await db.insert(organizations).values(row).returning();
  return created!;
}

const organizationById = builtOnce((db) =>
  db
    .select()
    .from(organizations)
    .where(eq(organizations.id, sql.placeholder('orgId')))
    .prepare('organization_by_id'),
);

export async function findOrganization(db: Executor, orgId: string): Promise<OrganizationRow | undefined> {
  const [row] = await organizationById(db).execute({ orgId });
  return row;
}

/** The organization with this name, compared case-insensitively (names are unique that way). */
export async function findOrganizationByName(
  db: Executor,
  name: string,
): Promise<OrganizationRow | undefined> {
  const [row] = await db
    .select()
    .from(organizations)
    .where(sql`lower(${organizations.name}) = lower(${name})`);
  return row;
}

/** Organizations among `orgIds`, ordered by id, after the cursor id. */
export async function listOrganizationsByIds(
  db: Executor,
  orgIds: string[],
  afterId: string | undefined,
  limit: number,
) {
  if (orgIds.length === 0) return [];
  const conditions = [inArray(organizations.id, orgIds)];
  if (afterId) conditions.push(gt(organizations.id, afterId));
  return db
    .select()
    .from(organizations)
    .where(and(...conditions))
    .orderBy(asc(organizations.id))
    .limit(limit);
}
