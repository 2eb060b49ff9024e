import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { requestTypeGroups, requestTypes } from '../../schema/index.ts';

export type RequestTypeRow = typeof requestTypes.$inferSelect;
export type RequestTypeGroupRow = typeof requestTypeGroups.$inferSelect;

export async function insertRequestType(
  db: Executor,
  row: typeof requestTypes.$inferInsert,
): Promise<RequestTypeRow> {
  const [created] = await db.insert(requestTypes).values(row).returning();
  return created!;
}

export async function insertRequestTypeGroup(
  db: Executor,
  row: typeof requestTypeGroups.$inferInsert,
): Promise<RequestTypeGroupRow> {
  const [created] = await db.insert(requestTypeGroups).values(row).returning();
  return created!;
}

/** A request type of one desk; a type of another desk is not found. */
export async function findRequestType(db: Executor, serviceDeskId: number, requestTypeId: number) {
  const [row] = await db
    .select()
    .from(requestTypes)
    .where(and(eq(requestTypes.serviceDeskId, serviceDeskId), eq(requestTypes.id, requestTypeId)));
  return row;
}

export async function listRequestTypes(
  db: Executor,
  serviceDeskId: number,
  options: {
    groupId?: number;
    searchQuery?: string;
    includeRestricted: boolean;
    start: number;
    limit: number;
  },
): Promise<RequestTypeRow[]> {
  const conditions = [eq(requestTypes.serviceDeskId, serviceDeskId)];
  if (options.groupId !== undefined)
    conditions.push(sql`${requestTypes.groupIds} @> ${JSON.stringify([options.groupId])}::jsonb`);
  if (options.searchQuery) {
    conditions.push(sql`${requestTypes.name} ilike ${`%${options.searchQuery}%`}`);
    conditions.push(eq(requestTypes.isHidden, false));
  }
  if (!options.includeRestricted) conditions.push(eq(requestTypes.restriction, 'OPEN'));
  return db
    .select()
    .from(requestTypes)
    .where(and(...conditions))
    .orderBy(asc(requestTypes.id))
    .limit(options.limit)
    .offset(options.start);
}

export async function listRequestTypeGroups(
  db: Executor,
  serviceDeskId: number,
): Promise<RequestTypeGroupRow[]> {
  return db
    .select()
    .from(requestTypeGroups)
    .where(eq(requestTypeGroups.serviceDeskId, serviceDeskId))
    .orderBy(asc(requestTypeGroups.position), asc(requestTypeGroups.id));
}

/** Several request types by id, in one statement (for a page of requests); match them to their desk. */
export async function findRequestTypesByIds(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.select().from(requestTypes).where(inArray(requestTypes.id, ids));
}
