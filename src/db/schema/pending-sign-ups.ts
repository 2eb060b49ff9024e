import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { sites } from './sites.ts';

/**
 * A self sign-up between its request and its job (`accounts.complete-sign-up`, `customers.complete-sign-up`). The
 * password hash waits here, never in the job's payload: pg-boss keeps finished and failed jobs for days, in tables
 * without row-level security. The job deletes the row in the transaction that creates the account or customer; the
 * hourly sweep deletes the rows of jobs that never completed. An org (and site) only for a portal sign-up.
 */
export const pendingSignUps = pgTable(
  'pending_sign_ups',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').references(() => organizations.id, { onDelete: 'cascade' }),
    siteId: text('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    ip: text('ip'),
    createdAt: createdAt(),
  },
  (t) => [index('pending_sign_ups__created_at').on(t.createdAt)],
);
