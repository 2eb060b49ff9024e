import type { Executor } from '#src/db/client.ts';
import {
  appendAuditEvents,
  appendChainEvents,
  type PendingAuditEvent,
} from '#src/db/queries/audit/audit-events.queries.ts';
import type { Clock } from '#src/shared/clock.ts';
import type { Actor } from '../policies/actor.ts';
import { chainBodyAround, chainHashAround } from './canonical.ts';

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
 * The event as the append statement takes it: its columns and its canonical body around the seq the chain will
 * give it (so the database computes the chain hash without a read of the last link first).
 */
export function pendingAuditEvent(clock: Clock, input: AuditEventInput): PendingAuditEvent {
  const fields = {
    orgId: input.orgId,
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
  return { ...fields, ...chainBodyAround(fields) };
}

/**
 * Appends an event to the org's hash chain in one statement, inside the caller's transaction so the event exists
 * exactly when the change does. The chain's head row stays locked until commit, so call it late in the transaction.
 */
export async function recordEvent(tx: Executor, clock: Clock, input: AuditEventInput): Promise<void> {
  await appendAuditEvents(tx, [pendingAuditEvent(clock, input)]);
}

/** Appends events of different chains (e.g. one per org of an account) in one statement. */
export async function recordEvents(tx: Executor, clock: Clock, inputs: AuditEventInput[]): Promise<void> {
  if (inputs.length > 0)
    await appendAuditEvents(
      tx,
      inputs.map((input) => pendingAuditEvent(clock, input)),
    );
}

/** Appends several events of ONE org (a batch's) to its chain, in two statements whatever their number. */
export async function recordEventsInOneChain(
  tx: Executor,
  clock: Clock,
  inputs: AuditEventInput[],
): Promise<void> {
  await appendChainEvents(
    tx,
    inputs.map((input) => pendingAuditEvent(clock, input)),
    chainHashAround,
  );
}
