import { z } from '@hono/zod-openapi';
import type {
  CustomerMigrationRow,
  MigrationTaskRow,
} from '#src/db/queries/migration/migration-tasks.queries.ts';
import type { TaskCounts } from '#src/domain/migration/get-migration-task.ts';

export const ZSiteParams = z.object({
  orgId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'orgId', in: 'path' }, description: 'Organization id' }),
  siteId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'siteId', in: 'path' }, description: 'Site id' }),
});

export const ZTaskParams = ZSiteParams.extend({
  taskId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'taskId', in: 'path' }, description: 'Migration task id' }),
});

export const ZStartMigrationRequest = z
  .object({
    customerIds: z
      .array(z.string().min(1).max(128))
      .max(100_000)
      .optional()
      // The domain refuses more than 1,000 ids + emails with `migration.too_many` (and says how many it got);
      // zod lets a longer list through to that clearer answer, the spec states the real limit.
      .openapi({ maxItems: 1000 })
      .describe('Portal-only customer ids (`qm:…`) of the site. At most 1,000 ids + emails per call.'),
    emails: z
      .array(z.string().min(3).max(320))
      .max(100_000)
      .optional()
      .openapi({ maxItems: 1000 })
      .describe(
        'Emails of the site’s portal-only customers, as an alternative to ids. At most 1,000 ids + emails per call.',
      ),
    includeRevoked: z
      .boolean()
      .optional()
      .describe(
        'Also migrate customers whose access was revoked (otherwise they fail with migration.customer_revoked).',
      ),
    confirmUnverifiedLinks: z
      .array(z.string().min(1).max(128))
      .max(1000)
      .optional()
      .describe('Customer ids whose same-email account is unverified and may be linked anyway.'),
  })
  .openapi('StartMigrationRequest');

export const ZMigrationCounts = z
  .object({
    requests: z.number().int(),
    raisedOnBehalf: z.number().int(),
    assigned: z.number().int(),
    comments: z.number().int(),
    participants: z.number().int(),
    approvals: z.number().int(),
    organizationMemberships: z.number().int(),
    serviceDeskMemberships: z.number().int(),
  })
  .openapi('MigrationCounts');

export const ZTaskCounts = z
  .object({
    total: z.number().int(),
    pending: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    cancelled: z.number().int(),
  })
  .openapi('MigrationTaskCounts');

export const ZMigrationTask = z
  .object({
    taskId: z.string(),
    siteId: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
    includeRevoked: z.boolean(),
    requestedBy: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    cancelRequested: z.boolean(),
    counts: ZTaskCounts,
    links: z.object({
      self: z.string(),
      report: z.string().describe('GET: the CSV report'),
      cancel: z.string().describe('POST to cancel the task (an action, not a resource to GET)'),
    }),
  })
  .openapi('MigrationTask');

export const ZMigrationItem = z
  .object({
    position: z.number().int(),
    customerId: z.string(),
    email: z.string().nullable(),
    displayName: z.string().nullable(),
    taskId: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed', 'skipped', 'cancelled']),
    outcome: z.enum(['linked', 'created']).nullable(),
    accountId: z.string().nullable(),
    oldUserKey: z.string().nullable(),
    newUserKey: z.string().nullable(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    counts: ZMigrationCounts.nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('MigrationItem');

export const ZCustomerMigration = z
  .object({
    customerId: z.string(),
    accountId: z.string(),
    email: z.string(),
    oldUserKey: z.string(),
    newUserKey: z.string(),
    outcome: z.enum(['linked', 'created']),
    counts: ZMigrationCounts,
    taskId: z.string().nullable(),
    migratedBy: z.string(),
    migratedAt: z.string(),
  })
  .openapi('CustomerMigration');

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentTask(task: MigrationTaskRow, counts: TaskCounts): z.infer<typeof ZMigrationTask> {
  const self = `/admin/v1/orgs/${task.orgId}/sites/${task.siteId}/migrations/${task.id}`;
  return {
    taskId: task.id,
    siteId: task.siteId,
    status: task.status,
    includeRevoked: task.includeRevoked === 'yes',
    requestedBy: task.requestedBy,
    createdAt: task.createdAt.toISOString(),
    startedAt: iso(task.startedAt),
    finishedAt: iso(task.finishedAt),
    cancelRequested: task.cancelRequestedAt !== null,
    counts,
    links: { self, report: `${self}/report`, cancel: `${self}/cancel` },
  };
}

export function presentMapping(row: CustomerMigrationRow): z.infer<typeof ZCustomerMigration> {
  return {
    customerId: row.customerId,
    accountId: row.accountId,
    email: row.email,
    oldUserKey: row.oldUserKey,
    newUserKey: row.newUserKey,
    outcome: row.outcome,
    counts: row.counts,
    taskId: row.taskId,
    migratedBy: row.migratedBy,
    migratedAt: row.migratedAt.toISOString(),
  };
}
