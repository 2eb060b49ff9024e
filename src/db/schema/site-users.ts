import { sql } from 'drizzle-orm';
import { type AnyPgColumn, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { sites } from './sites.ts';

/**
 * A person as a site sees them. Every site-level reference (reporter, participant, comment author, approver,
 * assignee, organization member, service-desk customer) points here. `user_key` is per site; a migration
 * gives the account a new site user (new key) and re-points every reference from the old one.
 */
export const siteUsers = pgTable(
  'site_users',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    userKey: text('user_key').notNull(),
    kind: text('kind', { enum: ['customer', 'account'] }).notNull(),
    customerId: text('customer_id'),
    accountId: text('account_id'),
    /** `retired` after a migration moved everything to the account's site user. */
    status: text('status', { enum: ['active', 'retired'] })
      .notNull()
      .default('active'),
    /**
     * The account's site user this one is being (or was) migrated to. Set under `FOR UPDATE` when a migration
     * starts; from then on the `site_user_reference_guard` trigger redirects every new reference here
     * (docs/ARCHITECTURE.md, "Write protocol").
     */
    replacedBy: text('replaced_by').references((): AnyPgColumn => siteUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('site_users__site_id_user_key').on(t.siteId, t.userKey),
    uniqueIndex('site_users__site_id_account_id')
      .on(t.siteId, t.accountId)
      .where(sql`account_id is not null`),
    uniqueIndex('site_users__customer_id').on(t.customerId).where(sql`customer_id is not null`),
    index('site_users__replaced_by').on(t.replacedBy).where(sql`replaced_by is not null`),
  ],
);
