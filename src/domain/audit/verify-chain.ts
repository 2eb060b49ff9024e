import type { Executor } from '#src/db/client.ts';
import { listChainBatch } from '#src/db/queries/audit/audit-events.queries.ts';
import { chainHash, GENESIS_HASH } from './canonical.ts';

export type ChainVerdict =
  | { ok: true; events: number }
  | { ok: false; events: number; brokenAtSeq: number; reason: 'hash_mismatch' | 'link_mismatch' | 'gap' };

/** Walks one org's audit chain and reports the first broken link. */
export async function verifyAuditChain(db: Executor, orgId: string | null): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let events = 0;
  for (;;) {
    const batch = await listChainBatch(db, orgId, expectedSeq - 1, 1000);
    if (batch.length === 0) return { ok: true, events };
    for (const row of batch) {
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
}
