import {
  findPortalCustomer,
  type PortalCustomerRow,
  updatePortalCustomer,
} from '#src/db/queries/customers/portal-customers.queries.ts';
import { assertPasswordAcceptable } from '../accounts/password-policy.ts';
import { revokeAllSessionsOfCustomer } from '../accounts/sessions.ts';
import type { SiteTenant, UseCaseContext } from '../use-case.ts';
import { authorizeCustomerAdmin } from './customer-access.ts';
import {
  type CustomerTarget,
  changeCustomerAsAdmin,
  lockChangeableCustomer,
  recordCustomerAdminEvent,
} from './customer-admin-change.ts';

/**
 * An admin sets a customer's password (F20). Every session of the customer ends, as a password change does
 * for accounts.
 * @throws {AppError} `customers.not_found`, `customers.deleted`, `customers.invalid_state`, plus access errors
 */
export async function changeCustomerPassword(
  ctx: UseCaseContext<SiteTenant>,
  target: CustomerTarget & { password: string },
): Promise<PortalCustomerRow> {
  const { services } = ctx;
  const { site } = await authorizeCustomerAdmin(ctx, 'customers.change_password');
  const current = await findPortalCustomer(services.db, site.id, target.customerId);
  assertPasswordAcceptable(target.password, { email: current?.email });
  const passwordHash = await services.passwords.hash(target.password);
  return services.db.transaction(async (tx) => {
    const customer = await lockChangeableCustomer(tx, site.id, target.customerId);
    await revokeAllSessionsOfCustomer(tx, customer.id);
    const updated = await updatePortalCustomer(tx, customer.id, { passwordHash }, services.clock.now());
    await recordCustomerAdminEvent(tx, ctx, target, 'customer.password_changed');
    return updated;
  });
}

/**
 * An admin edits a customer's full name (F21); it applies on every service project of the site.
 * @throws {AppError} `customers.not_found`, `customers.deleted`, `customers.invalid_state`, plus access errors
 */
export async function editCustomerName(
  ctx: UseCaseContext<SiteTenant>,
  target: CustomerTarget & { displayName: string },
): Promise<PortalCustomerRow> {
  return changeCustomerAsAdmin(ctx, 'customers.edit_name', target, async (tx, customer) => {
    const displayName = target.displayName.trim();
    const updated = await updatePortalCustomer(tx, customer.id, { displayName }, ctx.services.clock.now());
    await recordCustomerAdminEvent(tx, ctx, target, 'customer.name_changed', {
      from: customer.displayName,
      to: displayName,
    });
    return updated;
  });
}
