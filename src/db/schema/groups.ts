import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { createdAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { PRODUCT_ROLES, products } from './products.ts';
import { sites } from './sites.ts';

/**
 * Groups of an organization. A group with `product_id` + `role` grants that product role to its members
 * (default access groups); the customer group grants `customer`, which uses no seat.
 */
export const groups = pgTable(
  'groups',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    siteId: text('site_id').references(() => sites.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    isDefault: boolean('is_default').notNull().default(false),
    productId: text('product_id').references(() => products.id),
    role: text('role', { enum: PRODUCT_ROLES }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('groups__org_id_name').on(t.orgId, sql`lower(${t.name})`)],
);

/** Membership of an account in a group. Portal-only customers can never be members. */
export const groupMembers = pgTable(
  'group_members',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'group_members__pk', columns: [t.groupId, t.accountId] }),
    index('group_members__account_id').on(t.accountId),
  ],
);
