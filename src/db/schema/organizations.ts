import { sql } from 'drizzle-orm';
import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/**
 * The tenant. `user_management` decides who may do what (design.md §2, reference §H). Names are unique
 * (case-insensitively): the CLI and the demo find an organization by name, so two "Acme"s would be ambiguous.
 */
export const organizations = pgTable(
  'organizations',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    userManagement: text('user_management', { enum: ['original', 'centralized'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('organizations__name').on(sql`lower(${t.name})`)],
);
