import { sql } from 'drizzle-orm';
import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, createdAt, updatedAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { sites } from './sites.ts';

export const CUSTOMER_STATUSES = ['active', 'revoked', 'migrating', 'migrated', 'deleted'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/**
 * Portal-only customers: scoped to one site, `qm:` ids. Email is unique per site among live customers
 * (active, revoked, migrating); migrated and deleted rows keep (or erase) theirs without blocking a new one.
 */
export const portalCustomers = pgTable(
  'portal_customers',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    email: text('email'),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash'),
    emailVerifiedAt: at('email_verified_at'),
    status: text('status', { enum: CUSTOMER_STATUSES }).notNull().default('active'),
    timeZone: text('time_zone').notNull().default('UTC'),
    migratedToAccountId: text('migrated_to_account_id'),
    migratedAt: at('migrated_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('portal_customers__site_id_email')
      .on(t.siteId, sql`lower(${t.email})`)
      .where(sql`status in ('active', 'revoked', 'migrating')`),
    index('portal_customers__site_id_status').on(t.siteId, t.status),
    index('portal_customers__email').on(sql`lower(${t.email})`),
  ],
);
