import { bigint, boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { requestTypes } from './request-types.ts';
import { requestComments, requests } from './requests.ts';
import { serviceDesks } from './service-desks.ts';
import { siteUsers } from './site-users.ts';
import { sites } from './sites.ts';

/**
 * Every status a request entered, with when (JSM's status history, and what the SLA clocks are computed from).
 * No person column, so a migration never re-points it.
 */
export const requestStatusChanges = pgTable(
  'request_status_changes',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    status: text('status').notNull(),
    changedAt: at('changed_at').notNull().defaultNow(),
  },
  (t) => [index('request_status_changes__request_id').on(t.requestId, t.changedAt)],
);

/** The reporter's satisfaction rating of a resolved request (JSM CSAT feedback): one per request. */
export const requestFeedback = pgTable(
  'request_feedback',
  {
    requestId: integer('request_id')
      .primaryKey()
      .references(() => requests.id, { onDelete: 'cascade' }),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    authorId: text('author_id')
      .notNull()
      .references(() => siteUsers.id),
    rating: integer('rating').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('request_feedback__author_id').on(t.authorId, t.requestId)],
);

/**
 * A person's explicit choice about a request's notifications. Without a row, the reporter and participants are
 * subscribed (JSM's default) and nobody else is.
 */
export const requestNotificationSettings = pgTable(
  'request_notification_settings',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    siteUserId: text('site_user_id')
      .notNull()
      .references(() => siteUsers.id),
    subscribed: boolean('subscribed').notNull(),
  },
  (t) => [
    primaryKey({ name: 'request_notification_settings__pk', columns: [t.requestId, t.siteUserId] }),
    index('request_notification_settings__site_user_id').on(t.siteUserId, t.requestId),
  ],
);

/**
 * Files attached to requests. The content lives in a file under the attachments directory (`storage_key`);
 * a row without `request_id` is a temporary upload (`temporary_id`) waiting to be attached by its author.
 */
export const requestAttachments = pgTable(
  'request_attachments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    serviceDeskId: integer('service_desk_id')
      .notNull()
      .references(() => serviceDesks.id),
    requestId: integer('request_id').references(() => requests.id, { onDelete: 'cascade' }),
    /** The comment the file was attached with (its visibility is the comment's). */
    commentId: integer('comment_id').references(() => requestComments.id, { onDelete: 'set null' }),
    temporaryId: text('temporary_id'),
    isPublic: boolean('is_public').notNull().default(true),
    filename: text('filename').notNull(),
    mimeType: text('mime_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    storageKey: text('storage_key').notNull(),
    authorId: text('author_id')
      .notNull()
      .references(() => siteUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('request_attachments__temporary_id').on(t.temporaryId),
    index('request_attachments__request_id').on(t.requestId),
    index('request_attachments__author_id').on(t.authorId, t.id),
  ],
);

/** Approvers of a request type: a request of the type opens an approval they answer. */
export const requestTypeApprovers = pgTable(
  'request_type_approvers',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    requestTypeId: integer('request_type_id')
      .notNull()
      .references(() => requestTypes.id, { onDelete: 'cascade' }),
    siteUserId: text('site_user_id')
      .notNull()
      .references(() => siteUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'request_type_approvers__pk', columns: [t.requestTypeId, t.siteUserId] }),
    index('request_type_approvers__site_user_id').on(t.siteUserId),
  ],
);
