import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { at } from './columns.ts';

/** Failed-login counters per subject (`account:<id>`, `customer:<id>`), updated atomically in SQL. */
export const authFailures = pgTable('auth_failures', {
  subject: text('subject').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lockedUntil: at('locked_until'),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/** Fixed-window rate-limit counters (`login:ip:<ip>`), kept in the database so every process shares them. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: at('window_start').notNull(),
  count: integer('count').notNull().default(0),
});
