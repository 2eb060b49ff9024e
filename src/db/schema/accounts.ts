import { sql } from 'drizzle-orm';
import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, createdAt, updatedAt } from './columns.ts';

/** A global account (like an Atlassian account): one per email, spans organizations. */
export const accounts = pgTable(
  'accounts',
  {
    /** 24 lowercase hex characters. */
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** Null until the owner sets a password (invited, or created by a migration). */
    passwordHash: text('password_hash'),
    emailVerifiedAt: at('email_verified_at'),
    status: text('status', { enum: ['active', 'inactive', 'closed'] })
      .notNull()
      .default('active'),
    timeZone: text('time_zone').notNull().default('UTC'),
    locale: text('locale').notNull().default('en-US'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('accounts__email').on(sql`lower(${t.email})`)],
);
