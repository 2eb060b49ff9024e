import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import { cancelMigration } from '#src/domain/migration/cancel-migration.ts';
import {
  getMigrationReport,
  getMigrationTask,
  getMigrationTaskRow,
  getTaskCounts,
} from '#src/domain/migration/get-migration-task.ts';
import { listMigrationTasks } from '#src/domain/migration/list-migration-tasks.ts';
import { listDuplicateCandidatesOfSite } from '#src/domain/migration/lookup-customer-migration.ts';
import { migrationReportCsv } from '#src/domain/migration/migration-report.ts';
import { planMigration } from '#src/domain/migration/plan-migration.ts';
import { MAX_CUSTOMERS_PER_CALL } from '#src/domain/migration/resolve-customers.ts';
import { startMigration } from '#src/domain/migration/start-migration.ts';
import type { AppEnv } from '#src/web/http.ts';
import { readSort } from '#src/web/ui/data-table.tsx';
import { formErrorsOf, readForm } from '#src/web/ui/forms.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { type AdminContext, loadOrgPage, loadSiteOfOrg } from './admin-context.ts';
import { AdminShell, customersHref, migrationTaskHref } from './admin-shell.tsx';
import { ConfirmStep, isConfirmed } from './confirm.views.tsx';
import { ITEM_FILTERS, ITEM_SORTS, TaskPageView, taskStatusLabel } from './migration-task.views.tsx';
import { MigrationTasksView, TASK_SORTS } from './migration-tasks.views.tsx';
import {
  crumbs,
  DUPLICATE_SORTS,
  DuplicatesView,
  MigrationPlanView,
  MigrationPreviewFrame,
  RefusalWithWayBack,
} from './migrations.views.tsx';

/** Bulk migration (preview → confirm → live progress → report) and the duplicate candidates view. */
export const migrationsRoutes = new Hono<AppEnv>();

const SITE = '/admin/o/:orgId/sites/:site/jsm';

async function loadSite(c: AdminContext, action: 'customers.view' | 'customers.migrate') {
  const page = await loadOrgPage(c, c.req.param('orgId')!);
  const site = await loadSiteOfOrg(c, page, c.req.param('site')!, action);
  return { page, site };
}

/** The dry run of a bulk selection: links vs new accounts, what moves, conflicts, licence impact. */
migrationsRoutes.post(`${SITE}/customers/migrate/preview`, async (c) => {
  const { page, site } = await loadSite(c, 'customers.migrate');
  const form = await readForm(c);
  const customerIds = [...new Set(form.all('customerId'))];
  const includeRevoked = form.get('includeRevoked') === 'yes';
  const confirmUnverifiedLinks = form.all('confirmLink');
  const list = customersHref(page.org.id, site.name);
  const frame = (body: Child, status: 200 | 400 = 200) =>
    c.html(
      <MigrationPreviewFrame page={page} siteName={site.name} list={list}>
        {body}
      </MigrationPreviewFrame>,
      status,
    );
  // An empty selection is a slip, not an error: back to the list, which says what to do.
  if (customerIds.length === 0) return c.redirect(`${list}?warn=nothing-selected`, 303);
  if (customerIds.length > MAX_CUSTOMERS_PER_CALL)
    return frame(
      <RefusalWithWayBack list={list}>
        Select at most {MAX_CUSTOMERS_PER_CALL.toLocaleString('en')} customers at a time (you selected{' '}
        {customerIds.length.toLocaleString('en')}). Use the CLI for more.
      </RefusalWithWayBack>,
      400,
    );
  const input = { customerIds, includeRevoked, confirmUnverifiedLinks };
  let plan: Awaited<ReturnType<typeof planMigration>>;
  try {
    plan = await planMigration(useCaseContext(c, { orgId: page.org.id, siteId: site.id }), input);
  } catch (error) {
    const errors = formErrorsOf(error);
    return frame(<RefusalWithWayBack list={list}>{errors._form}</RefusalWithWayBack>, 400);
  }
  return frame(
    <MigrationPlanView
      page={page}
      siteName={site.name}
      list={list}
      includeRevoked={includeRevoked}
      plan={plan}
    />,
  );
});

migrationsRoutes.post(`${SITE}/customers/migrate/start`, async (c) => {
  const { page, site } = await loadSite(c, 'customers.migrate');
  const form = await readForm(c);
  const customerIds = [...new Set(form.all('customerId'))];
  const list = customersHref(page.org.id, site.name);
  try {
    const { task } = await startMigration(useCaseContext(c, { orgId: page.org.id, siteId: site.id }), {
      customerIds,
      includeRevoked: form.get('includeRevoked') === 'yes',
      confirmUnverifiedLinks: form.all('confirmLink'),
    });
    return c.redirect(migrationTaskHref(page.org.id, site.name, task.id), 303);
  } catch (error) {
    const errors = formErrorsOf(error);
    return c.html(
      <AdminShell
        page={page}
        title="Migration not started"
        section="products"
        site={site.name}
        currentPath={list}
      >
        <RefusalWithWayBack list={list}>{errors._form}</RefusalWithWayBack>
      </AdminShell>,
      400,
    );
  }
});

/** The task page: live progress, then each customer's result, sorted and filtered as the URL says. */
migrationsRoutes.get(`${SITE}/migrations/:taskId`, async (c) => {
  const { page, site } = await loadSite(c, 'customers.migrate');
  const sort = readSort((name) => c.req.query(name), ITEM_SORTS, 'position');
  const show = ITEM_FILTERS[c.req.query('show') ?? ''] ? c.req.query('show')! : 'all';
  const result = await getMigrationTask(useCaseContext(c, { orgId: page.org.id, siteId: site.id }), {
    taskId: c.req.param('taskId'),
    limit: 1000,
    sort: sort.key,
    descending: sort.descending,
    statuses: ITEM_FILTERS[show]!.statuses,
  });
  const view = { page, site, ...result };
  const href = migrationTaskHref(page.org.id, site.name, result.task.id);
  return c.html(<TaskPageView view={view} href={href} shown={{ url: c.req.url, sort, show }} />);
});

/** What the task page's live counts read while the task runs (app.js polls it; see `TaskProgress`). */
export const ZTaskProgress = z.object({
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  label: z.string(),
  live: z.boolean(),
  total: z.number().int(),
  done: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  cancelled: z.number().int(),
});

migrationsRoutes.get(`${SITE}/migrations/:taskId/progress.json`, async (c) => {
  const { page, site } = await loadSite(c, 'customers.migrate');
  const { db } = c.get('services');
  const task = await getMigrationTaskRow(
    useCaseContext(c, { orgId: page.org.id, siteId: site.id }),
    c.req.param('taskId'),
  );
  const counts = await getTaskCounts(db, task);
  const body = ZTaskProgress.parse({
    status: task.status,
    label: taskStatusLabel(task.status),
    live: task.status === 'queued' || task.status === 'running',
    total: counts.total,
    done: counts.total - counts.pending,
    succeeded: counts.succeeded,
    failed: counts.failed,
    skipped: counts.skipped,
    cancelled: counts.cancelled,
  });
  return c.json(body, 200, { 'cache-control': 'no-store' });
});

/**
 * Cancels the customers of a task not started yet; it asks first (it can't be resumed), and a task that has
 * ended has nothing to cancel: back to its page, which shows how it ended.
 */
migrationsRoutes.post(`${SITE}/migrations/:taskId/cancel`, async (c) => {
  const { page, site } = await loadSite(c, 'customers.migrate');
  const href = migrationTaskHref(page.org.id, site.name, c.req.param('taskId'));
  const ctx = useCaseContext(c, { orgId: page.org.id, siteId: site.id });
  const form = await readForm(c);
  if (!isConfirmed(form)) {
    const task = await getMigrationTaskRow(ctx, c.req.param('taskId'));
    if (task.status !== 'queued' && task.status !== 'running') return c.redirect(href, 303);
    const counts = await getTaskCounts(c.get('services').db, task);
    const waiting = counts.pending;
    return c.html(
      <ConfirmStep
        shell={{
          page,
          title: 'Cancel the migration',
          section: 'products',
          site: site.name,
          currentPath: customersHref(page.org.id, site.name),
          crumbs: crumbs(page.org.id, page.org.userManagement, site.name, 'Cancel the migration'),
        }}
        action={c.req.path}
        csrf={page.csrf}
        explain={
          <>
            <p>
              The {waiting.toLocaleString('en')} customer{waiting === 1 ? '' : 's'} not started yet won’t be
              migrated: they stay portal-only customers, and this migration can’t be resumed. You can select
              them again from the customers list later.
            </p>
            <p>
              The {(counts.total - waiting).toLocaleString('en')} already done stay as they are: migrated
              customers keep their new accounts.
            </p>
          </>
        }
        button={`Cancel ${waiting.toLocaleString('en')} customer${waiting === 1 ? '' : 's'}`}
        cancelLabel="Keep migrating"
        cancelHref={href}
      />,
    );
  }
  try {
    await cancelMigration(ctx, { taskId: c.req.param('taskId') });
  } catch (error) {
    // Already finished: the task page shows how it ended.
    formErrorsOf(error);
  }
  return c.redirect(href, 303);
});

migrationsRoutes.get(`${SITE}/migrations/:taskId/report.csv`, async (c) => {
  const { page, site } = await loadSite(c, 'customers.migrate');
  const report = await getMigrationReport(useCaseContext(c, { orgId: page.org.id, siteId: site.id }), {
    taskId: c.req.param('taskId'),
  });
  return c.body(migrationReportCsv(report.customers), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="migration-${report.task.id}.csv"`,
  });
});

const TASKS_PER_PAGE = 25;

/** The site's migration tasks: sortable, counted, paged (each links to its page and report). */
migrationsRoutes.get(`${SITE}/migrations`, async (c) => {
  const { page, site } = await loadSite(c, 'customers.migrate');
  // Newest first when no order was asked for.
  const sort = readSort(
    (name) => c.req.query(name),
    TASK_SORTS,
    'created',
    c.req.query('sort') === undefined,
  );
  const { descending } = sort;
  const pageParam = Number(c.req.query('page'));
  const pageNumber = Number.isSafeInteger(pageParam) && pageParam > 1 ? Math.min(pageParam, 1_000_000) : 1;
  const { tasks, total } = await listMigrationTasks(
    useCaseContext(c, { orgId: page.org.id, siteId: site.id }),
    {
      sort: sort.key,
      descending,
      offset: (pageNumber - 1) * TASKS_PER_PAGE,
      limit: TASKS_PER_PAGE,
    },
  );
  return c.html(
    <MigrationTasksView
      page={page}
      siteName={site.name}
      currentPath={c.req.path}
      tasks={tasks}
      sort={{ key: sort.key, descending }}
      pageNumber={pageNumber}
      perPage={TASKS_PER_PAGE}
      total={total}
    />,
  );
});

/** Duplicates the page reads at most (a site has few; the page sorts them in memory). */
const DUPLICATES_READ = 500;

/** Live customers whose email also has an account: the ones the seed says to migrate; by name or email. */
migrationsRoutes.get(`${SITE}/customers/duplicates`, async (c) => {
  const { page, site } = await loadSite(c, 'customers.view');
  const rows = await listDuplicateCandidatesOfSite(
    useCaseContext(c, { orgId: page.org.id, siteId: site.id }),
    { limit: DUPLICATES_READ },
  );
  const sort = readSort((name) => c.req.query(name), DUPLICATE_SORTS, 'name');
  const keyOf = (row: (typeof rows)[number]) =>
    (sort.key === 'email' ? (row.customer.email ?? '') : row.customer.displayName).toLowerCase();
  const sorted = [...rows].sort((a, b) => {
    const order = keyOf(a).localeCompare(keyOf(b)) || a.customer.id.localeCompare(b.customer.id);
    return sort.descending ? -order : order;
  });
  const list = customersHref(page.org.id, site.name);
  return c.html(
    <DuplicatesView page={page} siteName={site.name} list={list} url={c.req.url} sort={sort} rows={sorted} />,
  );
});
