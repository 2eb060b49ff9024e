import { boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, createdAt, updatedAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { requestTypes } from './request-types.ts';
import { serviceDesks } from './service-desks.ts';
import { siteUsers } from './site-users.ts';
import { sites } from './sites.ts';

export const REQUEST_STATUSES = [
  'Waiting for support',
  'In progress',
  'Waiting for customer',
  'Resolved',
  'Closed',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** A customer request (a Jira issue created through JSM). Person columns point to site users. */
export const requests = pgTable(
  'requests',
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
    requestTypeId: integer('request_type_id')
      .notNull()
      .references(() => requestTypes.id),
    issueKey: text('issue_key').notNull(),
    summary: text('summary').notNull(),
    description: text('description').notNull().default(''),
    status: text('status', { enum: REQUEST_STATUSES }).notNull().default('Waiting for support'),
    reporterId: text('reporter_id')
      .notNull()
      .references(() => siteUsers.id),
    /** Who raised it when it was raised on the reporter's behalf. */
    raisedById: text('raised_by_id').references(() => siteUsers.id),
    assigneeId: text('assignee_id').references(() => siteUsers.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    statusChangedAt: at('status_changed_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('requests__site_id_issue_key').on(t.siteId, t.issueKey),
    index('requests__reporter_id').on(t.reporterId, t.id),
    index('requests__raised_by_id').on(t.raisedById, t.id),
    index('requests__assignee_id').on(t.assigneeId, t.id),
    index('requests__service_desk_id_updated_at').on(t.serviceDeskId, t.updatedAt),
  ],
);

/** People a request is shared with. */
export const requestParticipants = pgTable(
  'request_participants',
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
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'request_participants__pk', columns: [t.requestId, t.siteUserId] }),
    index('request_participants__site_user_id').on(t.siteUserId, t.requestId),
  ],
);

/** Public replies and internal notes. Internal comments never reach customers. */
export const requestComments = pgTable(
  'request_comments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    authorId: text('author_id')
      .notNull()
      .references(() => siteUsers.id),
    body: text('body').notNull(),
    isPublic: boolean('is_public').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index('request_comments__request_id').on(t.requestId),
    index('request_comments__author_id').on(t.authorId, t.id),
  ],
);

/** Approvals on a request; approvers are site users. */
export const requestApprovals = pgTable(
  'request_approvals',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    finalDecision: text('final_decision', { enum: ['approved', 'declined', 'pending'] })
      .notNull()
      .default('pending'),
    createdAt: createdAt(),
    completedAt: at('completed_at'),
  },
  (t) => [index('request_approvals__request_id').on(t.requestId)],
);

export const requestApprovers = pgTable(
  'request_approvers',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    approvalId: integer('approval_id')
      .notNull()
      .references(() => requestApprovals.id, { onDelete: 'cascade' }),
    siteUserId: text('site_user_id')
      .notNull()
      .references(() => siteUsers.id),
    decision: text('decision', { enum: ['approved', 'declined', 'pending'] })
      .notNull()
      .default('pending'),
  },
  (t) => [
    primaryKey({ name: 'request_approvers__pk', columns: [t.approvalId, t.siteUserId] }),
    index('request_approvers__site_user_id').on(t.siteUserId, t.approvalId),
  ],
);
