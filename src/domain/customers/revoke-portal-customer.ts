import type { PortalCustomerRow } from '#src/db/queries/customers/portal-customers.queries.ts';
import { updatePortalCustomer } from '#src/db/queries/customers/portal-customers.queries.ts';
import { revokeAllSessionsOfCustomer } from '../accounts/sessions.ts';
import type { SiteTenant, UseCaseContext } from '../use-case.ts';
import {
  type CustomerTarget,
  changeCustomerAsAdmin,
  recordCustomerAdminEvent,
} from './customer-admin-change.ts';

/**
 * Revokes portal access (F22): the customer shows as "Name (Deactivated)", cannot log in, and every session
 * ends at once. Repeating it changes nothing.
 * @throws {AppError} see `lockChangeableCustomer`, plus access errors
 */
export async function revokePortalCustomer(
  ctx: UseCaseContext<SiteTenant>,
  target: CustomerTarget,
): Promise<PortalCustomerRow> {
  return changeCustomerAsAdmin(ctx, 'customers.revoke', target, async (tx, customer) => {
    await revokeAllSessionsOfCustomer(tx, customer.id);
    if (customer.status === 'revoked') return customer;
    const updated = await updatePortalCustomer(
      tx,
      customer.id,
      { status: 'revoked' },
      ctx.services.clock.now(),
    );
    await recordCustomerAdminEvent(tx, ctx, target, 'customer.access_revoked');
    return updated;
  });
}

/**
 * Grants portal access back (F22): every existing reference was kept. Repeating it changes nothing.
 * @throws {AppError} see `lockChangeableCustomer`, plus access errors
 */
export async function grantPortalCustomer(
  ctx: UseCaseContext<SiteTenant>,
  target: CustomerTarget,
): Promise<PortalCustomerRow> {
  return changeCustomerAsAdmin(ctx, 'customers.revoke', target, async (tx, customer) => {
    if (customer.status === 'active') return customer;
    const updated = await updatePortalCustomer(
      tx,
      customer.id,
      { status: 'active' },
      ctx.services.clock.now(),
    );
    await recordCustomerAdminEvent(tx, ctx, target, 'customer.access_granted');
    return updated;
  });
}
