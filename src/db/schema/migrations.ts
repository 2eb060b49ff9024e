import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { sites } from './sites.ts';

export const MIGRATION_TASK_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type MigrationTaskStatus = (typeof MIGRATION_TASK_STATUSES)[number];

/** Counts of what a migration moved for one customer. */
export interface MigrationCounts {
  requests: number;
  raisedOnBehalf: number;
  assigned: number;
  comments: number;
  participants: number;
  approvals: number;
  organizationMemberships: number;
  serviceDeskMemberships: number;
}

/** Nothing moved (the start of a sum). */
export const NO_MIGRATION_COUNTS: Readonly<MigrationCounts> = {
  requests: 0,
  raisedOnBehalf: 0,
  assigned: 0,
  comments: 0,
  participants: 0,
  approvals: 0,
  organizationMemberships: 0,
  serviceDeskMemberships: 0,
};

/** A migration task: one or more portal-only customers of one site, run by a background job. */
export const migrationTasks = pgTable(
  'migration_tasks',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    status: text('status', { enum: MIGRATION_TASK_STATUSES }).notNull().default('queued'),
    /** Who started it: `account:<id>` or `api_key:<id>`. */
    requestedBy: text('requested_by').notNull(),
    /** The whole actor that started it (domain `Actor`), restored as is for the task's audit events. */
    requestedByActor: jsonb('requested_by_actor').$type<Record<string, unknown>>(),
    includeRevoked: text('include_revoked', { enum: ['yes', 'no'] })
      .notNull()
      .default('no'),
    /** Confirmed unverified twins: customer ids the admin explicitly allowed to link. */
    confirmedLinks: jsonb('confirmed_links').$type<string[]>().notNull().default([]),
    /** Hash of the sorted customer ids, so a repeated start finds the live task. */
    dedupeKey: text('dedupe_key').notNull(),
    total: integer('total').notNull(),
    createdAt: createdAt(),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
    cancelRequestedAt: at('cancel_requested_at'),
  },
  (t) => [
    index('migration_tasks__org_id_created_at').on(t.orgId, t.createdAt),
    uniqueIndex('migration_tasks__live_dedupe_key')
      .on(t.siteId, t.dedupeKey)
      .where(sql`status in ('queued', 'running')`),
  ],
);

/** One customer of a task, with its outcome. */
export const migrationTaskItems = pgTable(
  'migration_task_items',
  {
    taskId: text('task_id')
      .notNull()
      .references(() => migrationTasks.id, { onDelete: 'cascade' }),
    customerId: text('customer_id').notNull(),
    position: integer('position').notNull(),
    status: text('status', { enum: ['pending', 'succeeded', 'failed', 'skipped', 'cancelled'] })
      .notNull()
      .default('pending'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    accountId: text('account_id'),
    outcome: text('outcome', { enum: ['linked', 'created'] }),
    counts: jsonb('counts').$type<MigrationCounts>(),
    finishedAt: at('finished_at'),
  },
  (t) => [
    primaryKey({ name: 'migration_task_items__pk', columns: [t.taskId, t.customerId] }),
    index('migration_task_items__task_id_position').on(t.taskId, t.position),
  ],
);

/** The permanent `old customer → account` mapping, one row per migrated customer. */
export const customerMigrations = pgTable(
  'customer_migrations',
  {
    customerId: text('customer_id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    accountId: text('account_id').notNull(),
    email: text('email').notNull(),
    oldUserKey: text('old_user_key').notNull(),
    newUserKey: text('new_user_key').notNull(),
    outcome: text('outcome', { enum: ['linked', 'created'] }).notNull(),
    counts: jsonb('counts').$type<MigrationCounts>().notNull(),
    taskId: text('task_id'),
    migratedBy: text('migrated_by').notNull(),
    migratedAt: createdAt(),
  },
  (t) => [
    index('customer_migrations__account_id').on(t.accountId),
    index('customer_migrations__site_id').on(t.siteId),
  ],
);
