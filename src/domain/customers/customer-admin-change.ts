import type { Executor } from '#src/db/client.ts';
import type { PortalCustomerRow } from '#src/db/queries/customers/portal-customers.queries.ts';
import { lockPortalCustomer } from '#src/db/queries/customers/portal-customers.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { Action } from '../policies/can.ts';
import type { SiteTenant, UseCaseContext } from '../use-case.ts';
import { authorizeCustomerAdmin } from './customer-access.ts';

/** The customer an admin change is about (the site is the use case's tenant). */
export interface CustomerTarget {
  /** Caller IP for the audit log. */
  ip?: string | null;
  customerId: string;
}

/**
 * Loads and locks a customer that an admin action may change: deleted customers are gone (410), migrated or
 * migrating ones are records only (409).
 * @throws {AppError} `customers.not_found`, `customers.deleted`, `customers.invalid_state`
 */
export async function lockChangeableCustomer(
  tx: Executor,
  siteId: string,
  customerId: string,
): Promise<PortalCustomerRow> {
  const customer = (await lockPortalCustomer(tx, siteId, customerId))?.customer;
  if (!customer) throw new AppError('customers.not_found', `No customer ${customerId} on this site.`);
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
  ctx: UseCaseContext<SiteTenant>,
  target: CustomerTarget,
  action: string,
  data?: Record<string, unknown>,
): Promise<void> {
  await recordEvent(tx, ctx.services.clock, {
    orgId: ctx.tenant.orgId,
    action,
    actor: ctx.actor,
    ip: target.ip,
    target: { type: 'customer', id: target.customerId },
    siteId: ctx.tenant.siteId,
    data,
  });
}

/**
 * The frame of an admin change to one portal-only customer: checks that the actor may do `action` on the site,
 * then in one transaction locks the customer (see `lockChangeableCustomer`) and applies `change` to it.
 * @throws {AppError} see `lockChangeableCustomer`, plus access errors
 */
export async function changeCustomerAsAdmin(
  ctx: UseCaseContext<SiteTenant>,
  action: Action,
  target: CustomerTarget,
  change: (tx: Executor, customer: PortalCustomerRow) => Promise<PortalCustomerRow>,
): Promise<PortalCustomerRow> {
  const { site } = await authorizeCustomerAdmin(ctx, action);
  return ctx.services.db.transaction(async (tx) =>
    change(tx, await lockChangeableCustomer(tx, site.id, target.customerId)),
  );
}
