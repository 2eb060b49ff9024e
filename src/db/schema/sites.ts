import { sql } from 'drizzle-orm';
import { boolean, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { organizations } from './organizations.ts';

/** A site hosts products; its name forms `jira-servicemanagement-customers-<name>`. */
export const sites = pgTable(
  'sites',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    /** Customer access settings (reference F9): who may sign up on the help center. */
    signupMode: text('signup_mode', { enum: ['anyone', 'approved_domains', 'invited_only'] })
      .notNull()
      .default('anyone'),
    approvedDomains: jsonb('approved_domains').$type<string[]>().notNull().default([]),
    allowPortalOnly: boolean('allow_portal_only').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('sites__name').on(sql`lower(${t.name})`)],
);
