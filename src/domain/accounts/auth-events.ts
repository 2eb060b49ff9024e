import type { Executor } from '#src/db/client.ts';
import { listAccountOrgIds } from '#src/db/queries/directory/org-memberships.queries.ts';
import { type AuditEventInput, recordEvent, recordEvents } from '../audit/record-event.ts';
import { type Actor, ANONYMOUS } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';

export type AuthAction =
  | 'auth.login_succeeded'
  | 'auth.login_failed'
  | 'auth.locked'
  | 'auth.logout'
  | 'auth.password_changed'
  | 'auth.password_reset'
  | 'auth.password_reset_requested'
  | 'auth.email_verified'
  | 'auth.signed_up'
  | 'auth.api_token_created'
  | 'auth.api_token_revoked';

export interface AccountAuthEvent {
  action: AuthAction;
  accountId: string | null;
  actor?: Actor;
  ip?: string | null;
  data?: Record<string, unknown>;
}

/**
 * An auth event of an account as audit events: one in every organization it belongs to (`orgIds`), or one with
 * org_id null when it has none (or for an unknown email).
 */
export function accountAuthEvents(input: AccountAuthEvent, orgIds: string[]): AuditEventInput[] {
  const actor: Actor =
    input.actor ??
    (input.accountId && input.action === 'auth.login_succeeded'
      ? { type: 'account', accountId: input.accountId, email: '', via: 'session' }
      : ANONYMOUS);
  return (orgIds.length > 0 ? orgIds : [null]).map((orgId) => ({
    orgId,
    action: input.action,
    actor,
    target: input.accountId ? { type: 'account', id: input.accountId } : undefined,
    ip: input.ip ?? null,
    data: input.data,
  }));
}

/** Records an auth event of an account in every organization it belongs to, in the caller's transaction. */
export async function recordAccountAuthEvent(
  tx: Executor,
  services: Pick<AppServices, 'clock'>,
  input: AccountAuthEvent,
): Promise<void> {
  const orgIds = input.accountId ? await listAccountOrgIds(tx, input.accountId) : [];
  await recordEvents(tx, services.clock, accountAuthEvents(input, orgIds));
}

export interface CustomerAuthEvent {
  action: AuthAction;
  orgId: string;
  siteId: string;
  customerId: string | null;
  actor?: Actor;
  ip?: string | null;
  data?: Record<string, unknown>;
}

/** An auth event of a portal-only customer as the audit event of its org, on its site. */
export function customerAuthEvent(input: CustomerAuthEvent): AuditEventInput {
  return {
    orgId: input.orgId,
    action: input.action,
    actor: input.actor ?? ANONYMOUS,
    target: input.customerId ? { type: 'customer', id: input.customerId } : undefined,
    siteId: input.siteId,
    ip: input.ip ?? null,
    data: input.data,
  };
}

/** Records an auth event of a portal-only customer in its org, on its site. */
export async function recordCustomerAuthEvent(
  tx: Executor,
  services: Pick<AppServices, 'clock'>,
  input: CustomerAuthEvent,
): Promise<void> {
  await recordEvent(tx, services.clock, customerAuthEvent(input));
}
