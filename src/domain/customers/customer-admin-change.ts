import type { Executor } from '#src/db/client.ts';
import type { PortalCustomerRow } from '#src/db/queries/customers/portal-customers.queries.ts';
import { lockPortalCustomer } from '#src/db/queries/customers/portal-customers.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { Actor } from '../policies/actor.ts';
import type { Action } from '../policies/can.ts';
import type { AppServices } from '../services.ts';
import { authorizeCustomerAdmin } from './customer-access.ts';

export interface CustomerTarget {
  /** Caller IP for the audit log. */
  ip?: string | null;
  orgId: string;
  siteId: string;
  customerId: string;
}

/**
 * Loads and locks a customer that an admin action may change: deleted customers are gone (410), migrated or
 * migrating ones are records only (409).
 * @throws {AppError} `customers.not_found`, `customers.deleted`, `customers.invalid_state`
 */
export async function lockChangeableCustomer(
  tx: Executor,
  target: CustomerTarget,
): Promise<PortalCustomerRow> {
  const customer = (await lockPortalCustomer(tx, target.siteId, target.customerId))?.customer;
  if (!customer) throw new AppError('customers.not_found', `No customer ${target.customerId} on this site.`);
  if (customer.status === 'deleted')
    throw new AppError('customers.deleted', 'This customer was deleted; the account cannot be changed.');
  if (customer.status === 'migrated' || customer.status === 'migrating')
    throw new AppError(
      'customers.invalid_state',
      `This customer was migrated to a Gatehouse account (${customer.status}); the portal-only profile is inactive.`,
      { data: { status: customer.status } },
    );
  return customer;
}

/** Records an admin's change to a portal-only customer in the site's org, in the caller's transaction. */
export async function recordCustomerAdminEvent(
  tx: Executor,
  services: Pick<AppServices, 'clock'>,
  actor: Actor,
  target: CustomerTarget,
  action: string,
  data?: Record<string, unknown>,
): Promise<void> {
  await recordEvent(tx, services.clock, {
    orgId: target.orgId,
    action,
    actor,
    ip: target.ip,
    target: { type: 'customer', id: target.customerId },
    siteId: target.siteId,
    data,
  });
}

/**
 * The frame of an admin change to one portal-only customer: checks that the actor may do `action` on the site,
 * then in one transaction locks the customer (see `lockChangeableCustomer`) and applies `change` to it.
 * @throws {AppError} see `lockChangeableCustomer`, plus access errors
 */
export async function changeCustomerAsAdmin(
  services: Pick<AppServices, 'db'>,
  actor: Actor,
  action: Action,
  target: CustomerTarget,
  change: (tx: Executor, customer: PortalCustomerRow) => Promise<PortalCustomerRow>,
): Promise<PortalCustomerRow> {
  await authorizeCustomerAdmin(services.db, actor, action, target);
  return services.db.transaction(async (tx) => change(tx, await lockChangeableCustomer(tx, target)));
}
