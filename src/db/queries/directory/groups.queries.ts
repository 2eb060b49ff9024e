import { and, asc, count, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { groupMembers, groups } from '../../schema/index.ts';

export type GroupRow = typeof groups.$inferSelect;

export async function insertGroup(db: Executor, row: typeof groups.$inferInsert): Promise<GroupRow> {
  const [created] = await db.insert(groups).values(row).returning();
  return created!;
}

export async function findGroup(db: Executor, orgId: string, groupId: string): Promise<GroupRow | undefined> {
  const [row] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.orgId, orgId), eq(groups.id, groupId)));
  return row;
}

export async function findGroupByName(
  db: Executor,
  orgId: string,
  name: string,
): Promise<GroupRow | undefined> {
  const [row] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.orgId, orgId), sql`lower(${groups.name}) = lower(${name})`));
  return row;
}

/** The default group granting `role` on a product. */
export async function findDefaultGroup(db: Executor, productId: string, role: 'customer' | 'user' | 'admin') {
  const [row] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.productId, productId), eq(groups.role, role), eq(groups.isDefault, true)))
    .orderBy(asc(groups.createdAt))
    .limit(1);
  return row;
}

/** A page of an org's groups with member counts, ordered by name then id, after the cursor name. */
export async function listGroups(db: Executor, orgId: string, afterName: string | undefined, limit: number) {
  const memberCount = db
    .select({ groupId: groupMembers.groupId, members: count().as('members') })
    .from(groupMembers)
    .groupBy(groupMembers.groupId)
    .as('member_count');
  const conditions = [eq(groups.orgId, orgId)];
  if (afterName !== undefined) conditions.push(gt(sql`lower(${groups.name})`, afterName.toLowerCase()));
  return db
    .select({ group: groups, members: sql<number>`coalesce(${memberCount.members}, 0)::int` })
    .from(groups)
    .leftJoin(memberCount, eq(memberCount.groupId, groups.id))
    .where(and(...conditions))
    .orderBy(sql`lower(${groups.name})`)
    .limit(limit);
}

/** Adds a member; a repeat is a no-op. */
export async function insertGroupMember(db: Executor, orgId: string, groupId: string, accountId: string) {
  await db.insert(groupMembers).values({ orgId, groupId, accountId }).onConflictDoNothing();
}

/** How many accounts are in the group. */
export async function countGroupMembers(db: Executor, orgId: string, groupId: string): Promise<number> {
  const [row] = await db
    .select({ members: count() })
    .from(groupMembers)
    .where(and(eq(groupMembers.orgId, orgId), eq(groupMembers.groupId, groupId)));
  return row?.members ?? 0;
}
