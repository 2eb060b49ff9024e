import { and, asc, desc, eq, gt, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { auditEvents } from '../../schema/index.ts';

export type AuditEventRow = typeof auditEvents.$inferSelect;
export type NewAuditEventRow = typeof auditEvents.$inferInsert;

const orgIs = (orgId: string | null) =>
  orgId === null ? isNull(auditEvents.orgId) : eq(auditEvents.orgId, orgId);

/** Serializes writers of one org's chain until the transaction ends (works on PGlite and PostgreSQL). */
export async function lockAuditChain(tx: Executor, orgId: string | null): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`audit:${orgId ?? '-'}`}))`);
}

export async function findLastAuditEvent(tx: Executor, orgId: string | null) {
  const [row] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .where(orgIs(orgId))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  return row;
}

export async function insertAuditEvent(tx: Executor, row: NewAuditEventRow): Promise<void> {
  await tx.insert(auditEvents).values(row);
}

export interface AuditEventFilter {
  action?: string;
  actorId?: string;
  targetId?: string;
  siteId?: string;
  from?: Date;
  to?: Date;
}

/** Newest first, keyset-paginated by `seq`. */
export async function listAuditEvents(
  db: Executor,
  orgId: string,
  filter: AuditEventFilter,
  page: { beforeSeq?: number; limit: number },
): Promise<AuditEventRow[]> {
  const conditions: SQL[] = [eq(auditEvents.orgId, orgId)];
  if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
  if (filter.actorId) conditions.push(eq(auditEvents.actorId, filter.actorId));
  if (filter.targetId) conditions.push(eq(auditEvents.targetId, filter.targetId));
  if (filter.siteId) conditions.push(eq(auditEvents.siteId, filter.siteId));
  if (filter.from) conditions.push(sql`${auditEvents.createdAt} >= ${filter.from}`);
  if (filter.to) conditions.push(sql`${auditEvents.createdAt} < ${filter.to}`);
  if (page.beforeSeq !== undefined) conditions.push(lt(auditEvents.seq, page.beforeSeq));
  return db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.seq))
    .limit(page.limit);
}

/** One org's chain in order, a batch at a time (for verification). */
export async function listChainBatch(db: Executor, orgId: string | null, afterSeq: number, limit: number) {
  return db
    .select()
    .from(auditEvents)
    .where(and(orgIs(orgId), gt(auditEvents.seq, afterSeq)))
    .orderBy(asc(auditEvents.seq))
    .limit(limit);
}
