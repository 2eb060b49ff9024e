import { boolean, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { serviceDesks } from './service-desks.ts';

/** Groups of request types shown on the portal, in admin-defined order. */
export const requestTypeGroups = pgTable('request_type_groups', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  orgId: text('org_id')
    .notNull()
    .references(() => organizations.id),
  serviceDeskId: integer('service_desk_id')
    .notNull()
    .references(() => serviceDesks.id),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
});

/** Request types of a service desk. */
export const requestTypes = pgTable('request_types', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  orgId: text('org_id')
    .notNull()
    .references(() => organizations.id),
  serviceDeskId: integer('service_desk_id')
    .notNull()
    .references(() => serviceDesks.id),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  helpText: text('help_text').notNull().default(''),
  issueTypeId: text('issue_type_id').notNull().default('10001'),
  groupIds: jsonb('group_ids').$type<number[]>().notNull().default([]),
  restriction: text('restriction', { enum: ['OPEN', 'RESTRICTED'] })
    .notNull()
    .default('OPEN'),
  isHidden: boolean('is_hidden').notNull().default(false),
  createdAt: createdAt(),
});
