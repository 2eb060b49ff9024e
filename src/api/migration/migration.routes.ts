import { createRoute, z } from '@hono/zod-openapi';
import { cancelMigration } from '#src/domain/migration/cancel-migration.ts';
import {
  getMigrationReport,
  getMigrationTask,
  getTaskCounts,
  newTaskCounts,
} from '#src/domain/migration/get-migration-task.ts';
import {
  listDuplicateCandidatesOfSite,
  listMigratableCustomersOfSite,
  listSitesOfOrg,
  lookupCustomerMigrations,
} from '#src/domain/migration/lookup-customer-migration.ts';
import { migrationReportCsv, migrationReportRow } from '#src/domain/migration/migration-report.ts';
import { planMigration } from '#src/domain/migration/plan-migration.ts';
import { startMigration } from '#src/domain/migration/start-migration.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import {
  AUTHENTICATED,
  cursorPage,
  decodeCursor,
  errorResponses,
  jsonBody,
  ZAdminError,
  ZCursorQuery,
} from '../pagination.ts';
import {
  presentMapping,
  presentTask,
  ZCandidate,
  ZCustomerMigration,
  ZMigrationItem,
  ZMigrationPlan,
  ZMigrationTask,
  ZSiteParams,
  ZStartMigrationRequest,
  ZTaskCounts,
  ZTaskParams,
} from './migration.schemas.ts';

const BASE = '/admin/v1/orgs/{orgId}/sites/{siteId}';
const TAGS = ['Admin: customer migration'];
const ZLinks = z.object({ self: z.string(), next: z.string().optional() });

const startRoute = createRoute({
  method: 'post',
  path: `${BASE}/migrations`,
  tags: TAGS,
  summary: 'Migrate portal-only customers to accounts',
  description:
    'Starts a background migration of up to 1,000 portal-only customers of the site (by id or email). Each customer is migrated in one transaction: linked to the account with the same verified email or given a new unverified account (with a set-password email), a new user key on the site, every request, comment, participant, approval and membership re-pointed, the Customer role through `jira-servicemanagement-customers-<site>`, a mapping row and an audit event. Answers 202 with the task; a repeated start for the same customers while that task is queued or running answers 200 with the same task. Org admins (original experience: also the site’s admins).',
  security: AUTHENTICATED,
  request: {
    params: ZSiteParams,
    body: jsonBody(ZStartMigrationRequest),
  },
  responses: {
    202: { description: 'Task created', content: { 'application/json': { schema: ZMigrationTask } } },
    200: {
      description: 'The live task for the same customers',
      content: { 'application/json': { schema: ZMigrationTask } },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const previewRoute = createRoute({
  method: 'post',
  path: `${BASE}/migrations/preview`,
  tags: TAGS,
  summary: 'Preview a migration (dry run)',
  description:
    'Writes nothing. Per customer: link to an existing account or create one, or the conflict that would refuse it (already migrated, deleted, revoked, unverified same-email account), and how many requests, comments, participants, approvals and memberships would move; in total; and the licence impact (the migration uses no seat; granting the JSM agent role to these accounts would need `seatsNeededForAgentAccess` of the `seatsLeft`).',
  security: AUTHENTICATED,
  request: {
    params: ZSiteParams,
    body: jsonBody(ZStartMigrationRequest),
  },
  responses: {
    200: { description: 'The plan', content: { 'application/json': { schema: ZMigrationPlan } } },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const getTaskRoute = createRoute({
  method: 'get',
  path: `${BASE}/migrations/{taskId}`,
  tags: TAGS,
  summary: 'Get a migration task',
  description:
    'Status (`queued | running | succeeded | failed | cancelled`), counts, and a cursor page of per-customer results with error codes, in the order the customers were given. `failed` means no customer could be migrated; per-customer failures of a `succeeded` task are in its items.',
  security: AUTHENTICATED,
  request: { params: ZTaskParams, query: ZCursorQuery },
  responses: {
    200: {
      description: 'The task',
      content: {
        'application/json': {
          schema: z.object({ task: ZMigrationTask, data: z.array(ZMigrationItem), links: ZLinks }),
        },
      },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const cancelRoute = createRoute({
  method: 'post',
  path: `${BASE}/migrations/{taskId}/cancel`,
  tags: TAGS,
  summary: 'Cancel a migration task',
  description:
    'Customers not yet started are cancelled; finished ones stay migrated (a migration cannot be undone). A queued task is cancelled at once; a running one stops between two customers, within 0.2 s. 409 when the task already finished.',
  security: AUTHENTICATED,
  request: { params: ZTaskParams },
  responses: {
    202: {
      description: 'Cancelled or cancelling',
      content: { 'application/json': { schema: ZMigrationTask } },
    },
    ...errorResponses(ZAdminError, [401, 403, 404, 409]),
  },
});

const reportRoute = createRoute({
  method: 'get',
  path: `${BASE}/migrations/{taskId}/report`,
  tags: TAGS,
  summary: 'Download the per-customer report',
  description:
    'Every customer of the task with its outcome, account, old and new user keys, error code and counts; JSON or CSV.',
  security: AUTHENTICATED,
  request: {
    params: ZTaskParams,
    query: z.object({
      format: z.enum(['json', 'csv']).default('json').openapi({ description: 'json (default) or csv' }),
    }),
  },
  responses: {
    200: {
      description: 'The report',
      content: {
        'application/json': {
          schema: z.object({ task: ZMigrationTask, counts: ZTaskCounts, customers: z.array(ZMigrationItem) }),
        },
        'text/csv': { schema: z.string() },
      },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const mappingRoute = createRoute({
  method: 'get',
  path: `${BASE}/customer-migrations`,
  tags: TAGS,
  summary: 'Look up where a portal-only customer went',
  description:
    'The permanent `old customer id → account id` mapping rows of the site, by old customer id or by email.',
  security: AUTHENTICATED,
  request: {
    params: ZSiteParams,
    query: z.object({
      customerId: z.string().min(1).max(128).optional().openapi({ description: 'Old customer id (`qm:…`)' }),
      email: z.string().min(3).max(320).optional().openapi({ description: 'Email of the customer' }),
    }),
  },
  responses: {
    200: {
      description: 'Mapping rows (empty when none)',
      content: { 'application/json': { schema: z.object({ data: z.array(ZCustomerMigration) }) } },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const duplicatesRoute = createRoute({
  method: 'get',
  path: `${BASE}/duplicate-candidates`,
  tags: TAGS,
  summary: 'List portal-only customers that also have an account',
  description:
    'Live (active or revoked) portal-only customers of the site whose email also has an account: the duplicates that migration fixes (the account cannot see the customer’s requests until then). Cursor pages.',
  security: AUTHENTICATED,
  request: { params: ZSiteParams, query: ZCursorQuery },
  responses: {
    200: {
      description: 'A page of candidates',
      content: { 'application/json': { schema: z.object({ data: z.array(ZCandidate), links: ZLinks }) } },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const migratableRoute = createRoute({
  method: 'get',
  path: `${BASE}/migratable-customers`,
  tags: TAGS,
  summary: 'List the customers a migration can take',
  description:
    'Active portal-only customers of the site (and revoked ones with `includeRevoked=true`), ordered by id, in cursor pages of up to 1,000: what `gatehouse customers migrate --all` sends.',
  security: AUTHENTICATED,
  request: {
    params: ZSiteParams,
    query: z.object({
      cursor: z.string().max(512).optional().openapi({ description: 'Cursor from `links.next`.' }),
      limit: z.coerce.number().int().min(1).max(1000).default(1000).openapi({ description: '1–1,000' }),
      includeRevoked: z
        .enum(['true', 'false'])
        .default('false')
        .openapi({ description: 'Include revoked customers' }),
    }),
  },
  responses: {
    200: {
      description: 'A page of customers',
      content: {
        'application/json': {
          schema: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                email: z.string().nullable(),
                displayName: z.string(),
                status: z.string(),
              }),
            ),
            links: ZLinks,
          }),
        },
      },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const sitesRoute = createRoute({
  method: 'get',
  path: '/admin/v1/orgs/{orgId}/sites',
  tags: ['Admin: orgs'],
  summary: 'List the sites of an organization',
  description:
    'Every site of the org with its id and name, ordered by name (for clients that address a site by name).',
  security: AUTHENTICATED,
  request: { params: ZSiteParams.pick({ orgId: true }) },
  responses: {
    200: {
      description: 'The sites',
      content: {
        'application/json': {
          schema: z.object({
            data: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string() })),
          }),
        },
      },
    },
    ...errorResponses(ZAdminError, [401, 403, 404]),
  },
});

function positionCursor(cursor: string | undefined): number | undefined {
  const raw = decodeCursor(cursor);
  return raw === undefined ? undefined : Number(raw);
}

export const migrationRoutes = createRouter()
  .openapi(startRoute, async (c) => {
    const services = c.get('services');
    const { task, created } = await startMigration(
      useCaseContext(c, c.req.valid('param')),
      c.req.valid('json'),
    );
    const counts = created ? newTaskCounts(task) : await getTaskCounts(services.db, task);
    return c.json(presentTask(task, counts), created ? 202 : 200);
  })
  .openapi(previewRoute, async (c) => {
    const plan = await planMigration(useCaseContext(c, c.req.valid('param')), c.req.valid('json'));
    return c.json(plan, 200);
  })
  .openapi(getTaskRoute, async (c) => {
    const { cursor, limit } = c.req.valid('query');
    const { orgId, siteId, taskId } = c.req.valid('param');
    const { task, counts, items } = await getMigrationTask(useCaseContext(c, { orgId, siteId }), {
      taskId,
      afterPosition: positionCursor(cursor),
      limit: limit + 1,
    });
    const page = cursorPage(items, limit, (row) => row.item.position, migrationReportRow, new URL(c.req.url));
    return c.json({ task: presentTask(task, counts), ...page }, 200);
  })
  .openapi(cancelRoute, async (c) => {
    const services = c.get('services');
    const { orgId, siteId, taskId } = c.req.valid('param');
    const task = await cancelMigration(useCaseContext(c, { orgId, siteId }), { taskId });
    return c.json(presentTask(task, await getTaskCounts(services.db, task)), 202);
  })
  .openapi(reportRoute, async (c) => {
    const { orgId, siteId, taskId } = c.req.valid('param');
    const { task, counts, customers } = await getMigrationReport(useCaseContext(c, { orgId, siteId }), {
      taskId,
    });
    if (c.req.valid('query').format === 'csv') {
      return c.body(migrationReportCsv(customers), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="migration-${task.id}.csv"`,
      });
    }
    return c.json({ task: presentTask(task, counts), counts, customers }, 200);
  })
  .openapi(mappingRoute, async (c) => {
    const rows = await lookupCustomerMigrations(
      useCaseContext(c, c.req.valid('param')),
      c.req.valid('query'),
    );
    return c.json({ data: rows.map(presentMapping) }, 200);
  })
  .openapi(duplicatesRoute, async (c) => {
    const { cursor, limit } = c.req.valid('query');
    const rows = await listDuplicateCandidatesOfSite(useCaseContext(c, c.req.valid('param')), {
      afterCustomerId: decodeCursor(cursor),
      limit: limit + 1,
    });
    const page = cursorPage(
      rows,
      limit,
      (row) => row.customer.id,
      ({ customer, account }) => ({
        customerId: customer.id,
        email: customer.email,
        displayName: customer.displayName,
        status: customer.status,
        accountId: account.id,
        accountEmailVerified: account.emailVerifiedAt !== null,
      }),
      new URL(c.req.url),
    );
    return c.json(page, 200);
  })
  .openapi(sitesRoute, async (c) => {
    const sites = await listSitesOfOrg(useCaseContext(c, { orgId: c.req.valid('param').orgId }));
    return c.json(
      { data: sites.map((s) => ({ id: s.id, name: s.name, createdAt: s.createdAt.toISOString() })) },
      200,
    );
  })
  .openapi(migratableRoute, async (c) => {
    const { cursor, limit, includeRevoked } = c.req.valid('query');
    const rows = await listMigratableCustomersOfSite(useCaseContext(c, c.req.valid('param')), {
      afterCustomerId: decodeCursor(cursor),
      limit: limit + 1,
      includeRevoked: includeRevoked === 'true',
    });
    const page = cursorPage(
      rows,
      limit,
      (row) => row.id,
      (row) => row,
      new URL(c.req.url),
    );
    return c.json(page, 200);
  });
