import { boolean, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { updatedAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { sites } from './sites.ts';

/** Original experience: the per-site "Has access on site" toggle. */
export const siteAccess = pgTable(
  'site_access',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    hasAccess: boolean('has_access').notNull().default(true),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ name: 'site_access__pk', columns: [t.siteId, t.accountId] })],
);
