import { sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { auditEvents } from '../../schema/index.ts';

/** Every chain in the audit log: one per organization, plus the null chain (events of no tenant). */
export async function listAuditChainOrgIds(db: Executor): Promise<Array<string | null>> {
  const rows = await db
    .selectDistinct({ orgId: auditEvents.orgId })
    .from(auditEvents)
    .orderBy(sql`${auditEvents.orgId} nulls first`);
  return rows.map((r) => r.orgId);
}
