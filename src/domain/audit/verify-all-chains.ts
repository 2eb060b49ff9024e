import type { Executor } from '#src/db/client.ts';
import { listAuditChainOrgIds } from '#src/db/queries/audit/audit-events.queries.ts';
import { type ChainVerdict, verifyAuditChain } from './verify-chain.ts';

/**
 * Verifies one organization's audit chain, or every chain (each org and the no-tenant chain) when `orgId` is
 * undefined. Each verdict names the first broken link of its chain.
 */
export async function verifyAuditChains(
  db: Executor,
  orgId?: string,
): Promise<Array<{ orgId: string | null; verdict: ChainVerdict }>> {
  const orgIds = orgId === undefined ? await listAuditChainOrgIds(db) : [orgId];
  const results: Array<{ orgId: string | null; verdict: ChainVerdict }> = [];
  for (const id of orgIds) results.push({ orgId: id, verdict: await verifyAuditChain(db, id) });
  return results;
}

/** One line per chain for the CLI: `ok <org> <n> events` or `BROKEN <org> at seq <n> (<reason>)`. */
export function describeVerdict(orgId: string | null, verdict: ChainVerdict): string {
  const name = orgId ?? '(no organization)';
  return verdict.ok
    ? `ok      ${name}: ${verdict.events} events, chain intact`
    : `BROKEN  ${name}: first broken link at seq ${verdict.brokenAtSeq} (${verdict.reason}); ${verdict.events} events verified before it`;
}
