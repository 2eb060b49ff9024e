import { and, asc, desc, eq, gt, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { accounts, apiKeys, auditChainHeads, auditEvents, portalCustomers } from '../../schema/index.ts';
import { writeTenantless } from '../../tenant-scope.ts';
import { rowsOf } from '../raw-rows.ts';

export type AuditEventRow = typeof auditEvents.$inferSelect;
export type NewAuditEventRow = typeof auditEvents.$inferInsert;

const orgIs = (orgId: string | null) =>
  orgId === null ? isNull(auditEvents.orgId) : eq(auditEvents.orgId, orgId);

/** The chain an org's events belong to: its id, or `-` for events of no tenant. */
export const chainOf = (orgId: string | null) => orgId ?? '-';

/**
 * An event ready to append: every column but `seq`, `prev_hash` and `hash`, which the database assigns from the
 * chain's head, plus the canonical body around the seq (`head` + seq + `tail`, see `chainBodyAround`).
 */
export type PendingAuditEvent = Omit<NewAuditEventRow, 'id' | 'seq' | 'prevHash' | 'hash'> & {
  orgId: string | null;
  createdAt: Date;
  head: string;
  tail: string;
};

const GENESIS = '0'.repeat(64);

/**
 * The CTEs that append events (at most one per chain) to their chains: each chain's head moves one link
 * (created at seq 1 after the genesis hash when the chain is new), the hash is computed in SQL exactly as
 * `chainHash` does, and the event is inserted with it. Ends with `audit_appended` (one row per event), so a
 * statement can embed it after its own CTEs: `with …, ${auditAppendCtes(events)} select …`. The head row stays
 * locked until the statement's transaction ends, which serializes writers of one chain.
 */
export function auditAppendCtes(events: PendingAuditEvent[]): SQL {
  const chains = new Set(events.map((e) => chainOf(e.orgId)));
  if (events.length === 0 || chains.size !== events.length)
    throw new Error('auditAppendCtes: one event per chain and statement');
  const rows = events.map(
    (e) => sql`(${chainOf(e.orgId)}::text, ${e.orgId}::text, ${e.action}::text, ${e.actorType}::text,
      ${e.actorId ?? null}::text, ${e.targetType ?? null}::text, ${e.targetId ?? null}::text, ${e.siteId ?? null}::text,
      ${e.ip ?? null}::text, ${JSON.stringify(e.data ?? {})}::jsonb, ${e.createdAt.toISOString()}::timestamptz,
      ${e.head}::text, ${e.tail}::text)`,
  );
  const link = (prev: SQL, seq: SQL, event: SQL) =>
    sql`encode(sha256(convert_to(${prev} || E'\n' || ${event}.head || (${seq})::text || ${event}.tail, 'UTF8')), 'hex')`;
  return sql`audit_ev (chain, org_id, action, actor_type, actor_id, target_type, target_id, site_id, ip, data,
      created_at, head, tail) as (values ${sql.join(rows, sql`, `)}),
    audit_heads as (
      insert into audit_chain_heads as h (chain, seq, prev_hash, hash)
      select e.chain, 1, ${GENESIS}, ${link(sql`${GENESIS}::text`, sql`1`, sql.raw('e'))} from audit_ev e
      on conflict (chain) do update set seq = h.seq + 1, prev_hash = h.hash,
        hash = (select ${link(sql`h.hash`, sql`h.seq + 1`, sql.raw('x'))} from audit_ev x where x.chain = excluded.chain)
      returning h.chain, h.seq, h.prev_hash, h.hash),
    audit_appended as (
      insert into audit_events (org_id, seq, action, actor_type, actor_id, target_type, target_id, site_id, ip, data,
        created_at, prev_hash, hash)
      select e.org_id, h.seq, e.action, e.actor_type, e.actor_id, e.target_type, e.target_id, e.site_id, e.ip, e.data,
        e.created_at, h.prev_hash, h.hash
      from audit_ev e join audit_heads h on h.chain = e.chain
      returning id)`;
}

/** Appends events (at most one per chain) in one statement; see `auditAppendCtes`. */
export async function appendAuditEvents(tx: Executor, events: PendingAuditEvent[]): Promise<void> {
  const tenantless = events.some((e) => e.orgId === null) ? null : events[0]?.orgId;
  await writeTenantless(tenantless, () =>
    tx.execute(sql`with ${auditAppendCtes(events)} select count(*) from audit_appended`),
  );
}

/**
 * Appends several events to ONE chain (a batch's events, all of one org) in two statements: the chain's head is
 * locked (created at the genesis when new) and read, `link` computes each event's hash after the one before
 * (as `chainHash` does), and the events and the moved head are written together. The head stays locked until
 * the transaction ends, like `appendAuditEvents`.
 */
export async function appendChainEvents(
  tx: Executor,
  events: PendingAuditEvent[],
  link: (prevHash: string, seq: number, event: PendingAuditEvent) => string,
): Promise<void> {
  if (events.length === 0) return;
  const orgId = events[0]!.orgId;
  if (events.some((e) => e.orgId !== orgId)) throw new Error('appendChainEvents: events of one chain');
  const chain = chainOf(orgId);
  await writeTenantless(orgId, async () => {
    const [head] = await tx
      .execute(sql`
      insert into audit_chain_heads as h (chain, seq, prev_hash, hash) values (${chain}, 0, ${GENESIS}, ${GENESIS})
      on conflict (chain) do update set chain = h.chain
      returning h.seq, h.hash`)
      .then((r) => rowsOf<{ seq: number; hash: string }>(r));
    let seq = Number(head!.seq);
    let prevHash = head!.hash;
    const rows: SQL[] = [];
    for (const e of events) {
      seq += 1;
      const hash = link(prevHash, seq, e);
      rows.push(sql`(${e.orgId}, ${seq}, ${e.action}, ${e.actorType}, ${e.actorId ?? null}, ${e.targetType ?? null},
        ${e.targetId ?? null}, ${e.siteId ?? null}, ${e.ip ?? null}, ${JSON.stringify(e.data ?? {})}::jsonb,
        ${e.createdAt.toISOString()}::timestamptz, ${prevHash}, ${hash})`);
      prevHash = hash;
    }
    await tx.execute(sql`
      with appended as (
        insert into audit_events (org_id, seq, action, actor_type, actor_id, target_type, target_id, site_id, ip, data,
          created_at, prev_hash, hash)
        values ${sql.join(rows, sql`, `)}
        returning seq, prev_hash, hash)
      update audit_chain_heads h set seq = a.seq, prev_hash = a.prev_hash, hash = a.hash
      from (select * from appended order by seq desc limit 1) a
      where h.chain = ${chain}`);
  });
}

/** The newest link of a chain as its head records it. */
export async function findAuditChainHead(db: Executor, orgId: string | null) {
  const [row] = await db
    .select()
    .from(auditChainHeads)
    .where(eq(auditChainHeads.chain, chainOf(orgId)));
  return row;
}

export interface AuditEventFilter {
  action?: string;
  actorId?: string;
  targetId?: string;
  /** Events about this id: its target, or an event naming it as `data.accountId` (a customer migrated to it). */
  aboutId?: string;
  siteId?: string;
  from?: Date;
  to?: Date;
  /** Who acted, as a person types it: an id, or part of a name or email (account, customer, API key name). */
  actorQuery?: string;
  /** Whom an event is about (its target, or the account a customer was migrated to), typed the same way. */
  aboutQuery?: string;
}

/**
 * The ids a typed text names in an org's log: itself (an id of any kind), and the accounts, the org's portal-only
 * customers and API keys whose name or email contains it, case-insensitive.
 */
function idsNamedBy(orgId: string, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return sql`(select ${text}::text
    union all select ${accounts.id} from ${accounts}
      where ${accounts.name} ilike ${pattern} or ${accounts.email} ilike ${pattern}
    union all select ${portalCustomers.id} from ${portalCustomers}
      where ${portalCustomers.orgId} = ${orgId}
        and (${portalCustomers.displayName} ilike ${pattern} or ${portalCustomers.email} ilike ${pattern})
    union all select ${apiKeys.id} from ${apiKeys}
      where ${apiKeys.orgId} = ${orgId} and ${apiKeys.name} ilike ${pattern})`;
}

/** The conditions of an org's events matching a filter (shared by the page and its count). */
function eventConditions(orgId: string, filter: AuditEventFilter): SQL[] {
  const conditions: SQL[] = [eq(auditEvents.orgId, orgId)];
  if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
  if (filter.actorId) conditions.push(eq(auditEvents.actorId, filter.actorId));
  if (filter.targetId) conditions.push(eq(auditEvents.targetId, filter.targetId));
  if (filter.aboutId)
    conditions.push(
      sql`(${auditEvents.targetId} = ${filter.aboutId} or ${auditEvents.data}->>'accountId' = ${filter.aboutId})`,
    );
  if (filter.actorQuery)
    conditions.push(sql`${auditEvents.actorId} in ${idsNamedBy(orgId, filter.actorQuery)}`);
  if (filter.aboutQuery) {
    const ids = idsNamedBy(orgId, filter.aboutQuery);
    conditions.push(sql`(${auditEvents.targetId} in ${ids} or ${auditEvents.data}->>'accountId' in ${ids})`);
  }
  if (filter.siteId) conditions.push(eq(auditEvents.siteId, filter.siteId));
  if (filter.from) conditions.push(sql`${auditEvents.createdAt} >= ${filter.from}`);
  if (filter.to) conditions.push(sql`${auditEvents.createdAt} < ${filter.to}`);
  return conditions;
}

/** Newest first, keyset-paginated by `seq`. */
export async function listAuditEvents(
  db: Executor,
  orgId: string,
  filter: AuditEventFilter,
  page: { beforeSeq?: number; limit: number },
): Promise<AuditEventRow[]> {
  const conditions = eventConditions(orgId, filter);
  if (page.beforeSeq !== undefined) conditions.push(lt(auditEvents.seq, page.beforeSeq));
  return db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.seq))
    .limit(page.limit);
}

/** One event of an org's log by id. */
export async function findAuditEvent(
  db: Executor,
  orgId: string,
  id: number,
): Promise<AuditEventRow | undefined> {
  const [row] = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.id, id)));
  return row;
}

/** How many of an org's events match a filter (the audit log's total). */
export async function countAuditEvents(
  db: Executor,
  orgId: string,
  filter: AuditEventFilter,
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(and(...eventConditions(orgId, filter)));
  return Number(row?.n ?? 0);
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

/** Every chain in the audit log: one per organization, plus the null chain (events of no tenant). */
export async function listAuditChainOrgIds(db: Executor): Promise<Array<string | null>> {
  const rows = await db
    .selectDistinct({ orgId: auditEvents.orgId })
    .from(auditEvents)
    .orderBy(sql`${auditEvents.orgId} nulls first`);
  return rows.map((r) => r.orgId);
}
