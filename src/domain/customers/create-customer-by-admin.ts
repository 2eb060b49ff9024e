import type { PortalCustomerRow } from '#src/db/queries/customers/portal-customers.queries.ts';
import { AppError, isAppError } from '#src/shared/errors.ts';
import type { Actor } from '../policies/actor.ts';
import { assertCan } from '../policies/can.ts';
import type { AppServices } from '../services.ts';
import { createPortalCustomer } from './create-portal-customer.ts';

export interface CreateCustomerByAdminInput {
  orgId: string;
  siteId: string;
  email: string;
  displayName: string;
  /** JSM `strictConflictStatusCode`: an existing email answers 409 instead of 400. */
  strictConflict: boolean;
}

/**
 * `POST /rest/servicedeskapi/customer` (reference §2.1): a Jira administrator of the site creates a portal-only
 * customer not tied to any project. The customer sets a password later (F17).
 * @throws {AppError} `customers.email_in_use` (400, or 409 when strict), plus access errors
 */
export async function createCustomerByAdmin(
  services: Pick<AppServices, 'db' | 'clock'>,
  actor: Actor,
  input: CreateCustomerByAdminInput,
): Promise<PortalCustomerRow> {
  await assertCan(services.db, actor, 'customers.create', { orgId: input.orgId, siteId: input.siteId });
  try {
    const { customer } = await services.db.transaction((tx) =>
      createPortalCustomer(tx, services, actor, {
        orgId: input.orgId,
        siteId: input.siteId,
        email: input.email,
        displayName: input.displayName,
      }),
    );
    return customer;
  } catch (error) {
    const duplicate =
      isAppError(error, 'customers.email_in_use') ||
      (error as { cause?: { code?: string; constraint?: string } })?.cause?.constraint ===
        'portal_customers__site_id_email';
    if (!duplicate) throw error;
    throw new AppError('customers.email_in_use', 'A customer with this email already exists on this site.', {
      status: input.strictConflict ? 409 : 400,
      data: { email: input.email },
    });
  }
}
