import type { Executor } from '#src/db/client.ts';
import {
  findLastAuditEvent,
  insertAuditEvent,
  lockAuditChain,
} from '#src/db/queries/audit/audit-events.queries.ts';
import type { Clock } from '#src/shared/clock.ts';
import type { Actor } from '../policies/actor.ts';
import { chainHash, GENESIS_HASH } from './canonical.ts';

export interface AuditEventInput {
  /** The tenant; null for events that belong to none (a failed login for an unknown email). */
  orgId: string | null;
  /** Dotted action name, e.g. `customer.migrated`, `auth.login_failed`. */
  action: string;
  actor: Actor;
  target?: { type: string; id: string };
  siteId?: string | null;
  ip?: string | null;
  data?: Record<string, unknown>;
}

function actorColumns(actor: Actor): {
  actorType: 'account' | 'customer' | 'api_key' | 'system' | 'anonymous';
  actorId: string | null;
} {
  switch (actor.type) {
    case 'account':
      return { actorType: 'account', actorId: actor.accountId };
    case 'customer':
      return { actorType: 'customer', actorId: actor.customerId };
    case 'api_key':
      return { actorType: 'api_key', actorId: actor.apiKeyId };
    case 'system':
      return { actorType: 'system', actorId: null };
    default:
      return { actorType: 'anonymous', actorId: null };
  }
}

/**
 * Appends an event to the org's hash chain, inside the caller's transaction so the event exists exactly
 * when the change does. Call it within `db.transaction(...)`: the chain lock is held until commit.
 */
export async function recordEvent(tx: Executor, clock: Clock, input: AuditEventInput): Promise<void> {
  await lockAuditChain(tx, input.orgId);
  const last = await findLastAuditEvent(tx, input.orgId);
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields = {
    orgId: input.orgId,
    seq: (last?.seq ?? 0) + 1,
    action: input.action,
    ...actorColumns(input.actor),
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    siteId: input.siteId ?? null,
    ip: input.ip ?? null,
    data: input.data ?? {},
    // Millisecond precision survives the timestamptz round trip exactly, so the hash verifies later.
    createdAt: new Date(clock.now().getTime()),
  };
  await insertAuditEvent(tx, { ...fields, prevHash, hash: chainHash(prevHash, fields) });
}
