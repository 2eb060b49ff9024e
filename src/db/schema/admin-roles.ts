import { pgTable, text, unique } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { createdAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { products } from './products.ts';
import { sites } from './sites.ts';

/** Admin roles: org admin (whole org), site admin (one site), product admin (one product). */
export const adminRoles = pgTable(
  'admin_roles',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    role: text('role', { enum: ['org_admin', 'site_admin', 'product_admin'] }).notNull(),
    siteId: text('site_id').references(() => sites.id),
    productId: text('product_id').references(() => products.id),
    createdAt: createdAt(),
  },
  (t) => [
    unique('admin_roles__unique').on(t.orgId, t.accountId, t.role, t.siteId, t.productId).nullsNotDistinct(),
  ],
);
