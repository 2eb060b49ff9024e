import { spendCustomerTokens } from '#src/db/queries/accounts/auth-tokens.queries.ts';
import type { PortalCustomerRow } from '#src/db/queries/customers/portal-customers.queries.ts';
import { updatePortalCustomer } from '#src/db/queries/customers/portal-customers.queries.ts';
import { revokeAllSessionsOfCustomer } from '../accounts/sessions.ts';
import type { SiteTenant, UseCaseContext } from '../use-case.ts';
import {
  type CustomerTarget,
  changeCustomerAsAdmin,
  recordCustomerAdminEvent,
} from './customer-admin-change.ts';
import { FORMER_USER_NAME } from './customer-display.ts';

/**
 * Deletes a portal-only customer (F23), irreversibly: email, name and password are erased, sessions and
 * outstanding tokens end, and every reference shows "Former user (Deactivated)". Requests and comments stay.
 * @throws {AppError} `customers.not_found`, `customers.deleted`, `customers.invalid_state`, plus access errors
 */
export async function deletePortalCustomer(
  ctx: UseCaseContext<SiteTenant>,
  target: CustomerTarget,
): Promise<PortalCustomerRow> {
  return changeCustomerAsAdmin(ctx, 'customers.delete', target, async (tx, customer) => {
    const now = ctx.services.clock.now();
    await revokeAllSessionsOfCustomer(tx, customer.id);
    await spendCustomerTokens(tx, customer.id, now);
    const updated = await updatePortalCustomer(
      tx,
      customer.id,
      {
        status: 'deleted',
        email: null,
        displayName: FORMER_USER_NAME,
        passwordHash: null,
        emailVerifiedAt: null,
      },
      now,
    );
    // The audit event keeps no personal data either: only the id.
    await recordCustomerAdminEvent(tx, ctx, target, 'customer.deleted');
    return updated;
  });
}
