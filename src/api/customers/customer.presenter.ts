import { z } from '@hono/zod-openapi';
import type { PortalCustomerRow } from '#src/db/queries/customers/portal-customers.queries.ts';
import { presentCustomerName } from '#src/domain/customers/customer-display.ts';
import type { AccountTwin } from '#src/domain/customers/get-portal-customer.ts';

export const ZPortalCustomer = z
  .object({
    id: z.string().describe('Portal-only customer id (`qm:…`).'),
    siteId: z.string(),
    email: z.string().nullable().describe('Null once the customer is deleted (personal data erased).'),
    displayName: z
      .string()
      .describe(
        'Name as every surface renders it: "Name", "Name (Deactivated)" or "Former user (Deactivated)".',
      ),
    fullName: z.string().nullable().describe('The stored name; null once deleted.'),
    status: z.enum(['active', 'revoked', 'migrating', 'migrated', 'deleted']),
    statusLabel: z.enum(['Active', 'Deactivated', 'Migrating', 'Inactive', 'Deleted']),
    active: z.boolean().describe('Can log in to the portal and be picked in user pickers.'),
    emailVerified: z.boolean(),
    hasPassword: z.boolean(),
    migratedToAccountId: z.string().nullable(),
    createdAt: z.string(),
    accountTwin: z
      .object({ accountId: z.string(), email: z.string(), verified: z.boolean() })
      .nullable()
      .optional()
      .describe('An account with the same email exists: migrate this customer to it (duplicate note).'),
    links: z.object({ self: z.string() }),
  })
  .openapi('PortalOnlyCustomer');

export type TPortalCustomer = z.infer<typeof ZPortalCustomer>;

/** The admin view of a portal-only customer; `accountTwin` only on the detail view. */
export function presentPortalCustomer(
  customer: PortalCustomerRow,
  orgId: string,
  accountTwin?: AccountTwin | null,
): TPortalCustomer {
  const display = presentCustomerName(customer);
  return {
    id: customer.id,
    siteId: customer.siteId,
    email: display.showEmail ? customer.email : null,
    displayName: display.displayName,
    fullName: customer.status === 'deleted' ? null : customer.displayName,
    status: customer.status,
    statusLabel: display.statusLabel,
    active: display.active,
    emailVerified: customer.emailVerifiedAt !== null,
    hasPassword: customer.passwordHash !== null,
    migratedToAccountId: customer.migratedToAccountId,
    createdAt: customer.createdAt.toISOString(),
    ...(accountTwin === undefined ? {} : { accountTwin }),
    links: {
      self: `/admin/v1/orgs/${orgId}/sites/${customer.siteId}/portal-only-customers/${customer.id}`,
    },
  };
}
