import type { PortalCustomerRow } from '#src/db/queries/customers/portal-customers.queries.ts';
import { findSite } from '#src/db/queries/directory/sites.queries.ts';
import { AppError, isAppError } from '#src/shared/errors.ts';
import { issueAuthToken, TOKEN_TTL_MS } from '../accounts/auth-tokens.ts';
import { mailLink, queueMail } from '../mail/queue-mail.ts';
import { assertCan } from '../policies/can.ts';
import type { SiteTenant, UseCaseContext } from '../use-case.ts';
import { createPortalCustomer } from './create-portal-customer.ts';

export interface CreateCustomerByAdminInput {
  email: string;
  displayName: string;
  /** JSM `strictConflictStatusCode`: an existing email answers 409 instead of 400. */
  strictConflict: boolean;
}

/**
 * `POST /rest/servicedeskapi/customer` (reference §2.1): a Jira administrator of the site creates a portal-only
 * customer not tied to any project. The customer is mailed a single-use link (7 days) to set a first password
 * (F17) on the site's portal reset-password page.
 * @throws {AppError} `customers.email_in_use` (400, or 409 when strict), plus access errors
 */
export async function createCustomerByAdmin(
  ctx: UseCaseContext<SiteTenant>,
  input: CreateCustomerByAdminInput,
): Promise<PortalCustomerRow> {
  const { services, actor } = ctx;
  const { orgId, siteId } = ctx.tenant;
  await assertCan(services.db, actor, 'customers.create', { orgId, siteId });
  try {
    const site = await findSite(services.db, orgId, siteId);
    if (!site) throw new AppError('directory.site_not_found', `No site ${siteId} in this organization.`);
    return await services.db.transaction(async (tx) => {
      const { customer } = await createPortalCustomer(tx, services, actor, {
        orgId,
        siteId,
        email: input.email,
        displayName: input.displayName,
      });
      // Sent to the portal's reset page, so a reset token, but living as long as a set-password link.
      const { secret } = await issueAuthToken(tx, services, {
        purpose: 'reset_password',
        customerId: customer.id,
        orgId,
        siteId: site.id,
        email: customer.email!,
        data: { reason: 'first_password' },
        ttlMs: TOKEN_TTL_MS.set_password,
      });
      const link = mailLink(services, `/sites/${encodeURIComponent(site.name)}/portal/reset-password`, {
        token: secret,
      });
      await queueMail(tx, services, {
        to: customer.email!,
        orgId,
        kind: 'set_password',
        subject: `Set your password for the ${site.name} help center`,
        text: `Hello ${customer.displayName},\n\nAn account was created for you on the ${site.name} help center. Choose your password here:\n${link}\n\nThe link works once and expires in 7 days.`,
      });
      return customer;
    });
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
