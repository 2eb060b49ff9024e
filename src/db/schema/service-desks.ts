import { integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { siteUsers } from './site-users.ts';
import { sites } from './sites.ts';

/** One service desk per JSM project on a site, with its portal (same id, as in JSM). */
export const serviceDesks = pgTable(
  'service_desks',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    projectId: integer('project_id').notNull(),
    projectKey: text('project_key').notNull(),
    projectName: text('project_name').notNull(),
    portalName: text('portal_name').notNull(),
    portalDescription: text('portal_description').notNull().default(''),
    /** Channel access (reference F12): open to the site's customers, or restricted to those added. */
    access: text('access', { enum: ['open', 'restricted'] })
      .notNull()
      .default('restricted'),
    /** Who customers may share requests with (add as participants). */
    sharing: text('sharing', { enum: ['none', 'organization', 'any_customer'] })
      .notNull()
      .default('organization'),
    /** Next number for `<KEY>-<n>` request keys. */
    nextIssueNumber: integer('next_issue_number').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('service_desks__site_id_project_key').on(t.siteId, t.projectKey)],
);

/** Customers added to a service desk (the project's Customers list). */
export const serviceDeskCustomers = pgTable(
  'service_desk_customers',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    serviceDeskId: integer('service_desk_id')
      .notNull()
      .references(() => serviceDesks.id),
    siteUserId: text('site_user_id')
      .notNull()
      .references(() => siteUsers.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: 'service_desk_customers__pk', columns: [t.serviceDeskId, t.siteUserId] })],
);

/** Agents of a service desk (the Service Desk Team role). */
export const serviceDeskAgents = pgTable(
  'service_desk_agents',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    serviceDeskId: integer('service_desk_id')
      .notNull()
      .references(() => serviceDesks.id),
    siteUserId: text('site_user_id')
      .notNull()
      .references(() => siteUsers.id),
    isAdmin: text('is_admin', { enum: ['yes', 'no'] })
      .notNull()
      .default('no'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: 'service_desk_agents__pk', columns: [t.serviceDeskId, t.siteUserId] })],
);
