import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns.ts';

/**
 * Server-side sessions, so any process can serve any request. The cookie holds the session secret;
 * `id` is its SHA-256. A portal-only customer's session carries its site and reaches nothing else.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['account', 'customer'] }).notNull(),
    accountId: text('account_id'),
    customerId: text('customer_id'),
    siteId: text('site_id'),
    csrfToken: text('csrf_token').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSeenAt: at('last_seen_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [index('sessions__account_id').on(t.accountId), index('sessions__customer_id').on(t.customerId)],
);
