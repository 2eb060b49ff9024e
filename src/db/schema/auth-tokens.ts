import { jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns.ts';

/** Single-use, expiring tokens (email verification, password reset, invitation). Stored as SHA-256. */
export const authTokens = pgTable(
  'auth_tokens',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    purpose: text('purpose', {
      enum: ['verify_email', 'reset_password', 'invitation', 'set_password'],
    }).notNull(),
    accountId: text('account_id'),
    customerId: text('customer_id'),
    orgId: text('org_id'),
    siteId: text('site_id'),
    email: text('email').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
  },
  (t) => [uniqueIndex('auth_tokens__token_hash').on(t.tokenHash)],
);
