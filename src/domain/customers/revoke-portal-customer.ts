import type { Executor } from '#src/db/client.ts';
import {
  lockPortalCustomer,
  updatePortalCustomer,
} from '#src/db/queries/customers/portal-customer-admin.queries.ts';
import type { PortalCustomerRow } from '#src/db/queries/customers/portal-customers.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { revokeAllSessionsOfCustomer } from '../accounts/sessions.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { Actor } from '../policies/actor.ts';
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
  const customer = await lockPortalCustomer(tx, target.siteId, target.customerId);
  if (!customer) throw new AppError('customers.not_found', `No customer ${target.customerId} on this site.`);
  if (customer.status === 'deleted')
    throw new AppError('customers.deleted', 'This customer was deleted; the account cannot be changed.');
  if (customer.status === 'migrated' || customer.status === 'migrating')
    throw new AppError(
      'customers.invalid_state',
      `This customer was migrated to an Atlassian account (${customer.status}); the portal-only profile is inactive.`,
      { data: { status: customer.status } },
    );
  return customer;
}

/**
 * Revokes portal access (F22): the customer shows as "Name (Deactivated)", cannot log in, and every session
 * ends at once. Repeating it changes nothing.
 * @throws {AppError} see `lockChangeableCustomer`, plus access errors
 */
export async function revokePortalCustomer(
  services: Pick<AppServices, 'db' | 'clock'>,
  actor: Actor,
  target: CustomerTarget,
): Promise<PortalCustomerRow> {
  await authorizeCustomerAdmin(services.db, actor, 'customers.revoke', target);
  return services.db.transaction(async (tx) => {
    const customer = await lockChangeableCustomer(tx, target);
    await revokeAllSessionsOfCustomer(tx, customer.id);
    if (customer.status === 'revoked') return customer;
    const updated = await updatePortalCustomer(tx, customer.id, { status: 'revoked' }, services.clock.now());
    await recordEvent(tx, services.clock, {
      orgId: target.orgId,
      action: 'customer.access_revoked',
      actor,
      ip: target.ip,
      target: { type: 'customer', id: customer.id },
      siteId: target.siteId,
    });
    return updated;
  });
}

/**
 * Grants portal access back (F22): every existing reference was kept. Repeating it changes nothing.
 * @throws {AppError} see `lockChangeableCustomer`, plus access errors
 */
export async function grantPortalCustomer(
  services: Pick<AppServices, 'db' | 'clock'>,
  actor: Actor,
  target: CustomerTarget,
): Promise<PortalCustomerRow> {
  await authorizeCustomerAdmin(services.db, actor, 'customers.revoke', target);
  return services.db.transaction(async (tx) => {
    const customer = await lockChangeableCustomer(tx, target);
    if (customer.status === 'active') return customer;
    const updated = await updatePortalCustomer(tx, customer.id, { status: 'active' }, services.clock.now());
    await recordEvent(tx, services.clock, {
      orgId: target.orgId,
      action: 'customer.access_granted',
      actor,
      ip: target.ip,
      target: { type: 'customer', id: customer.id },
      siteId: target.siteId,
    });
    return updated;
  });
}
