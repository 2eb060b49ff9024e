import { integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { sites } from './sites.ts';

export const PRODUCT_KEYS = ['jira-servicemanagement', 'jira-software', 'confluence'] as const;
export type ProductKey = (typeof PRODUCT_KEYS)[number];
export const PRODUCT_ROLES = ['customer', 'user', 'admin'] as const;
export type ProductRole = (typeof PRODUCT_ROLES)[number];

/** A product on a site with its licence: `seat_limit` accounts may hold a billable role. */
export const products = pgTable(
  'products',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    key: text('key', { enum: PRODUCT_KEYS }).notNull(),
    name: text('name').notNull(),
    seatLimit: integer('seat_limit').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('products__site_id_key').on(t.siteId, t.key)],
);
