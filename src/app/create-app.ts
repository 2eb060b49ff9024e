import { bodyLimit } from 'hono/body-limit';
import { adminRoutes } from '#src/admin/admin.routes.tsx';
import { customersRoutes as adminCustomersRoutes } from '#src/admin/customers.routes.tsx';
import { mailViewerRoutes } from '#src/admin/mail-viewer.routes.tsx';
import { migrationsRoutes as adminMigrationsRoutes } from '#src/admin/migrations.routes.tsx';
import { orgRoutes as adminOrgRoutes } from '#src/admin/org.routes.tsx';
import { usersRoutes as adminUsersRoutes } from '#src/admin/users.routes.tsx';
import { accountRoutes } from '#src/api/accounts/account.routes.ts';
import { apiTokensRoutes } from '#src/api/accounts/api-tokens.routes.ts';
import { eventsRoutes } from '#src/api/audit/events.routes.ts';
import { customersJsmRoutes } from '#src/api/customers/customers.jsm.routes.ts';
import { portalAuthApiRoutes } from '#src/api/customers/portal-auth.routes.ts';
import { portalCustomersRoutes } from '#src/api/customers/portal-customers.routes.ts';
import { apiKeysRoutes } from '#src/api/directory/api-keys.routes.ts';
import { directoriesRoutes } from '#src/api/directory/directories.routes.ts';
import { directoryRoutes } from '#src/api/directory/directory.routes.ts';
import { groupsRoutes } from '#src/api/directory/groups.routes.ts';
import { invitationsRoutes } from '#src/api/directory/invitations.routes.ts';
import { orgsRoutes } from '#src/api/directory/orgs.routes.ts';
import { productsRoutes } from '#src/api/directory/products.routes.ts';
import { usersRoutes } from '#src/api/directory/users.routes.ts';
import { migrationRoutes } from '#src/api/migration/migration.routes.ts';
import { approvalRoutes } from '#src/api/servicedesk/approvals.routes.ts';
import { attachmentRoutes } from '#src/api/servicedesk/attachments.routes.ts';
import { jiraRoutes } from '#src/api/servicedesk/jira.routes.ts';
import { jiraIssueRoutes } from '#src/api/servicedesk/jira-issues.routes.ts';
import { organizationRoutes } from '#src/api/servicedesk/organizations.routes.ts';
import { queueRoutes } from '#src/api/servicedesk/queues.routes.ts';
import { requestFeedbackRoutes } from '#src/api/servicedesk/request-feedback.routes.ts';
import { requestNotificationRoutes } from '#src/api/servicedesk/request-notifications.routes.ts';
import { requestSlaRoutes } from '#src/api/servicedesk/request-sla.routes.ts';
import { requestTypeRoutes } from '#src/api/servicedesk/request-types.routes.ts';
import { requestRoutes } from '#src/api/servicedesk/requests.routes.ts';
import { serviceDeskRoutes } from '#src/api/servicedesk/servicedesk.routes.ts';
import { systemRoutes } from '#src/api/system/system.routes.ts';
import type { AppServices } from '#src/domain/services.ts';
import { accountLinkRoutes } from '#src/portal/account-links.routes.tsx';
import { agentRoutes } from '#src/portal/agent.routes.tsx';
import { landingRoutes } from '#src/portal/landing.routes.tsx';
import { portalRoutes } from '#src/portal/portal.routes.tsx';
import { portalAuthRoutes } from '#src/portal/portal-auth.routes.tsx';
import { AppError } from '#src/shared/errors.ts';
import { authenticate } from '#src/web/authenticate.ts';
import { errorHandler, pickRenderer } from '#src/web/error-handler.ts';
import { createRouter } from '#src/web/http.ts';
import { requestContext } from '#src/web/request-context.ts';
import { sessionAuth } from '#src/web/session.ts';
import { tenantScope } from '#src/web/tenant-scope.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { mountStatic } from './static.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Largest request body any route accepts (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The whole HTTP surface: REST (admin + JSM), admin console, portal, agent queue, docs.
 * Each audience mounts its own router; errors render in the shape of the path's surface.
 */
export function createApp(services: AppServices) {
  const app = createRouter();
  app.use('*', requestContext(services));
  // After a warm start the job queue starts once the server is ready (≈0.2 s). A write may enqueue a job inside
  // its transaction, and on PGlite that transaction would hold the one connection the queue's start needs: writes
  // wait here, before any transaction, until the queue runs (an already settled promise afterwards).
  // A queue that could not start answers a clear 503, not a 500 (`serve` then exits and a supervisor restarts it).
  app.use('*', async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) {
      await services.queue.started.catch(() => {
        throw new AppError('internal.unavailable', 'The job queue is not running; try again in a moment.');
      });
    }
    await next();
  });
  // Every surface takes small JSON or form bodies; a larger one is refused before anything reads it. File uploads
  // (JSM attachTemporaryFile, the portal's and agent queue's attach forms) may carry up to ATTACHMENT_MAX_BYTES
  // plus the multipart framing.
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError('request.payload_too_large', `The request body is larger than ${maxSize} bytes.`, {
          data: { maxBytes: maxSize },
        });
      },
    });
  const defaultLimit = limit(MAX_BODY_BYTES);
  const uploadLimit = limit(services.config.ATTACHMENT_MAX_BYTES + 64 * 1024);
  const uploads = /(\/attachTemporaryFile|^\/sites\/[^/]+\/(portal|agent)\/requests\/[^/]+\/attachments)$/;
  app.use('*', (c, next) => (uploads.test(c.req.path) ? uploadLimit : defaultLimit)(c, next));
  app.use('*', authenticate());
  app.use('*', sessionAuth());
  app.use('*', tenantScope());
  app.onError(errorHandler);
  app.notFound((c) =>
    pickRenderer(c.req.path)(
      c,
      new AppError('request.not_found', `No route for ${c.req.method} ${c.req.path}.`),
    ),
  );

  app.route('/', systemRoutes);
  app.route('/', accountRoutes);
  app.route('/', apiTokensRoutes);
  app.route('/', portalAuthApiRoutes);
  app.route('/', orgsRoutes);
  app.route('/', usersRoutes);
  app.route('/', groupsRoutes);
  app.route('/', apiKeysRoutes);
  app.route('/', eventsRoutes);
  app.route('/', portalCustomersRoutes);
  app.route('/', directoryRoutes);
  app.route('/', directoriesRoutes);
  app.route('/', productsRoutes);
  app.route('/', invitationsRoutes);
  app.route('/', customersJsmRoutes);
  app.route('/', serviceDeskRoutes);
  app.route('/', requestRoutes);
  app.route('/', requestTypeRoutes);
  app.route('/', requestSlaRoutes);
  app.route('/', requestFeedbackRoutes);
  app.route('/', requestNotificationRoutes);
  app.route('/', queueRoutes);
  app.route('/', attachmentRoutes);
  app.route('/', approvalRoutes);
  app.route('/', organizationRoutes);
  app.route('/', jiraRoutes);
  app.route('/', jiraIssueRoutes);
  app.route('/', migrationRoutes);
  app.route('/', adminRoutes);
  app.route('/', adminMigrationsRoutes);
  app.route('/', adminCustomersRoutes);
  app.route('/', adminUsersRoutes);
  app.route('/', adminOrgRoutes);
  app.route('/', portalAuthRoutes);
  app.route('/', accountLinkRoutes);
  app.route('/', portalRoutes);
  app.route('/', agentRoutes);
  app.route('/', landingRoutes);
  app.route('/', mailViewerRoutes);

  let document: unknown;
  app.get('/openapi.json', (c) => {
    document ??= buildOpenApiDocument(app, { maxBodyBytes: MAX_BODY_BYTES });
    return c.json(document as object);
  });
  mountStatic(app as never);
  return app;
}

export type GatehouseApp = ReturnType<typeof createApp>;
