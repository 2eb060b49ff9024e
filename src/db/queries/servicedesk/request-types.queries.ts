import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { requestTypeGroups, requestTypes, serviceDesks } from '../../schema/index.ts';
import { deskReachableBy } from './service-desks.queries.ts';

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

/**
 * Request types of every desk of the site the caller can reach (`customerSiteUserId` set for customers: their
 * reachable desks' open types), by desk then id; `searchQuery` matches names and skips hidden types.
 */
export async function listSiteRequestTypes(
  db: Executor,
  siteId: string,
  options: {
    serviceDeskIds?: number[];
    searchQuery?: string;
    customerSiteUserId?: string | null;
    start: number;
    limit: number;
  },
): Promise<RequestTypeRow[]> {
  const conditions: SQL[] = [eq(serviceDesks.siteId, siteId)];
  if (options.serviceDeskIds?.length)
    conditions.push(sql`${requestTypes.serviceDeskId} in ${options.serviceDeskIds}`);
  if (options.searchQuery) {
    conditions.push(
      sql`${requestTypes.name} ilike ${`%${options.searchQuery.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`}`,
    );
    conditions.push(eq(requestTypes.isHidden, false));
  }
  if (options.customerSiteUserId !== undefined) {
    conditions.push(eq(requestTypes.restriction, 'OPEN'));
    conditions.push(deskReachableBy(options.customerSiteUserId));
  }
  const rows = await db
    .select({ type: requestTypes })
    .from(requestTypes)
    .innerJoin(serviceDesks, eq(serviceDesks.id, requestTypes.serviceDeskId))
    .where(and(...conditions))
    .orderBy(asc(requestTypes.serviceDeskId), asc(requestTypes.id))
    .limit(options.limit)
    .offset(options.start);
  return rows.map((r) => r.type);
}

/** Several request types by id, in one statement (for a page of requests); match them to their desk. */
export async function findRequestTypesByIds(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.select().from(requestTypes).where(inArray(requestTypes.id, ids));
}
