import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { serviceDesks } from './service-desks.ts';
import { siteUsers } from './site-users.ts';
import { sites } from './sites.ts';

/** JSM customer organizations (groups of customers across service desks), not the tenant. */
export const customerOrganizations = pgTable(
  'customer_organizations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('customer_organizations__site_id_name').on(t.siteId, sql`lower(${t.name})`)],
);

export const customerOrganizationMembers = pgTable(
  'customer_organization_members',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    customerOrganizationId: integer('customer_organization_id')
      .notNull()
      .references(() => customerOrganizations.id, { onDelete: 'cascade' }),
    siteUserId: text('site_user_id')
      .notNull()
      .references(() => siteUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({
      name: 'customer_organization_members__pk',
      columns: [t.customerOrganizationId, t.siteUserId],
    }),
    index('customer_organization_members__site_user_id').on(t.siteUserId),
  ],
);

export const serviceDeskOrganizations = pgTable(
  'service_desk_organizations',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    serviceDeskId: integer('service_desk_id')
      .notNull()
      .references(() => serviceDesks.id),
    customerOrganizationId: integer('customer_organization_id')
      .notNull()
      .references(() => customerOrganizations.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({
      name: 'service_desk_organizations__pk',
      columns: [t.serviceDeskId, t.customerOrganizationId],
    }),
  ],
);
