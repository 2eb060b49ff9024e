import type { Executor } from '#src/db/client.ts';
import {
  findLiveCustomerByEmail,
  insertPortalCustomer,
  type PortalCustomerRow,
} from '#src/db/queries/customers/portal-customers.queries.ts';
import { insertSiteUser, type SiteUserRow } from '#src/db/queries/directory/site-users.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { newCustomerId, newId, newUserKey } from '#src/shared/ids.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';

export interface CreatePortalCustomerInput {
  orgId: string;
  siteId: string;
  email: string;
  displayName: string;
  passwordHash?: string | null;
  emailVerified?: boolean;
}

/**
 * Creates a portal-only customer with its site user (user key), in the caller's transaction.
 * @throws {AppError} `customers.email_in_use` when a live customer of the site has the email.
 */
export async function createPortalCustomer(
  tx: Executor,
  services: Pick<AppServices, 'clock'>,
  actor: Actor,
  input: CreatePortalCustomerInput,
): Promise<{ customer: PortalCustomerRow; siteUser: SiteUserRow }> {
  if (await findLiveCustomerByEmail(tx, input.siteId, input.email)) {
    throw new AppError('customers.email_in_use', 'A customer with this email already exists on this site.');
  }
  const customer = await insertPortalCustomer(tx, {
    id: newCustomerId(),
    orgId: input.orgId,
    siteId: input.siteId,
    email: input.email.trim(),
    displayName: input.displayName.trim(),
    passwordHash: input.passwordHash ?? null,
    emailVerifiedAt: input.emailVerified ? services.clock.now() : null,
  });
  const siteUser = await insertSiteUser(tx, {
    id: newId(),
    orgId: input.orgId,
    siteId: input.siteId,
    userKey: newUserKey(),
    kind: 'customer',
    customerId: customer.id,
  });
  await recordEvent(tx, services.clock, {
    orgId: input.orgId,
    action: 'customer.created',
    actor,
    target: { type: 'customer', id: customer.id },
    siteId: input.siteId,
    data: { email: customer.email },
  });
  return { customer, siteUser };
}
