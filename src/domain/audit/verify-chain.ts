import type { Executor } from '#src/db/client.ts';
import { findAuditChainHead, listChainBatch } from '#src/db/queries/audit/audit-events.queries.ts';
import { chainHash, GENESIS_HASH } from './canonical.ts';

export type ChainVerdict =
  | { ok: true; events: number }
  | {
      ok: false;
      events: number;
      brokenAtSeq: number;
      reason: 'hash_mismatch' | 'link_mismatch' | 'gap' | 'head_mismatch';
    };

/**
 * Walks one org's audit chain up to its head (read first, so events appended meanwhile are left for the next
 * run) and reports the first broken link: an edited row (`hash_mismatch`), a row whose link does not follow
 * (`link_mismatch`), a missing seq, the last rows included (`gap`), or a head that no longer matches the last
 * row (`head_mismatch`).
 */
export async function verifyAuditChain(db: Executor, orgId: string | null): Promise<ChainVerdict> {
  const head = await findAuditChainHead(db, orgId);
  const headSeq = head?.seq ?? 0;
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let events = 0;
  while (expectedSeq <= headSeq) {
    const batch = await listChainBatch(db, orgId, expectedSeq - 1, 1000);
    if (batch.length === 0) break;
    for (const row of batch) {
      if (expectedSeq > headSeq) break;
      if (row.seq !== expectedSeq) return { ok: false, events, brokenAtSeq: expectedSeq, reason: 'gap' };
      if (row.prevHash !== prevHash)
        return { ok: false, events, brokenAtSeq: row.seq, reason: 'link_mismatch' };
      const { id: _id, hash, prevHash: _prev, ...fields } = row;
      if (chainHash(prevHash, fields) !== hash)
        return { ok: false, events, brokenAtSeq: row.seq, reason: 'hash_mismatch' };
      prevHash = hash;
      expectedSeq += 1;
      events += 1;
    }
  }
  if (expectedSeq <= headSeq) return { ok: false, events, brokenAtSeq: expectedSeq, reason: 'gap' };
  if (head && head.hash !== prevHash)
    return { ok: false, events, brokenAtSeq: headSeq, reason: 'head_mismatch' };
  if (!head) {
    // No head: the chain must be empty (a chain gets its head with its first event).
    const [stray] = await listChainBatch(db, orgId, 0, 1);
    if (stray) return { ok: false, events, brokenAtSeq: stray.seq, reason: 'head_mismatch' };
  }
  return { ok: true, events };
}
