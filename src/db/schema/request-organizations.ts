import { index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { customerOrganizations } from './customer-organizations.ts';
import { organizations } from './organizations.ts';
import { requests } from './requests.ts';

/**
 * Customer organizations a request is shared with (JSM's "Organizations" field): every member of such an
 * organization sees the request in the portal. No person column, so a migration never re-points it.
 */
export const requestOrganizations = pgTable(
  'request_organizations',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    customerOrganizationId: integer('customer_organization_id')
      .notNull()
      .references(() => customerOrganizations.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'request_organizations__pk', columns: [t.requestId, t.customerOrganizationId] }),
    index('request_organizations__customer_organization_id').on(t.customerOrganizationId),
  ],
);
