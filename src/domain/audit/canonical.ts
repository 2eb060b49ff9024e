import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so a row hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface ChainedFields {
  orgId: string | null;
  seq: number;
  action: string;
  actorType: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  siteId: string | null;
  ip: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

/** The chain link: sha256(previous hash + canonical event). */
export function chainHash(prevHash: string, event: ChainedFields): string {
  const body = canonicalJson({ ...event, createdAt: event.createdAt.toISOString() });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export const GENESIS_HASH = '0'.repeat(64);

/** `chainHash` of an event given as its body around the seq (`chainBodyAround`), at `seq`. */
export function chainHashAround(prevHash: string, seq: number, body: { head: string; tail: string }): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(`${body.head}${seq}${body.tail}`)
    .digest('hex');
}

/**
 * The canonical body of an event around its `seq`: `body = head + String(seq) + tail`, so the database can
 * compute `chainHash` for the seq it assigns (`sha256(prev + '\n' + head + seq + tail)`) in the statement that
 * appends the event, without a read of the chain's last row first.
 */
export function chainBodyAround(event: Omit<ChainedFields, 'seq'>): { head: string; tail: string } {
  const marker = '"seq":';
  const parts = Object.entries({ ...event, createdAt: event.createdAt.toISOString(), seq: 0 })
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => (k === 'seq' ? marker : `${JSON.stringify(k)}:${canonicalJson(v)}`));
  const at = parts.indexOf(marker);
  return {
    head: `{${[...parts.slice(0, at), ''].join(',')}${marker}`,
    tail: `${parts
      .slice(at + 1)
      .map((p) => `,${p}`)
      .join('')}}`,
  };
}
