import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/** The tenant. `user_management` decides who may do what (design.md §2, reference §H). */
export const organizations = pgTable('organizations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  userManagement: text('user_management', { enum: ['original', 'centralized'] }).notNull(),
  createdAt: createdAt(),
});
