import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { cancelMigration } from '#src/domain/migration/cancel-migration.ts';
import { getMigrationReport, getMigrationTask } from '#src/domain/migration/get-migration-task.ts';
import { listDuplicateCandidatesOfSite } from '#src/domain/migration/lookup-customer-migration.ts';
import { planMigration } from '#src/domain/migration/plan-migration.ts';
import { MAX_CUSTOMERS_PER_CALL } from '#src/domain/migration/resolve-customers.ts';
import { startMigration } from '#src/domain/migration/start-migration.ts';
import type { AppEnv } from '#src/web/http.ts';
import { CsrfField } from '#src/web/ui/fields.tsx';
import { formErrorsOf, readForm } from '#src/web/ui/forms.ts';
import { Notice } from '#src/web/ui/layout.tsx';
import { type AdminContext, loadOrgPage, loadSiteOfOrg } from './admin-context.ts';
import { AdminShell, customersHref, migrationTaskHref, orgHref, siteHref } from './admin-shell.tsx';

/** Bulk migration (preview → confirm → live progress → report) and the duplicate candidates view. */
export const migrationsRoutes = new Hono<AppEnv>();

const SITE = '/admin/o/:orgId/sites/:site/jsm';

async function loadSite(c: AdminContext, action: 'customers.view' | 'customers.migrate') {
  const page = await loadOrgPage(c, c.req.param('orgId')!);
  const site = await loadSiteOfOrg(c, page, c.req.param('site')!, action);
  return { page, site };
}

/** Why a migration can't go ahead, with the way back to the customers list. */
function RefusalWithWayBack({ list, children }: { list: string; children: Child }) {
  return (
    <>
      <Notice kind="error">{children}</Notice>
      <p>
        <a href={list}>Back to the customers</a>
      </p>
    </>
  );
}

/** A customer's name over their email, as the migration tables list them. */
function CustomerCell({ displayName, email }: { displayName: string | null; email: string | null }) {
  return (
    <td>
      {displayName}
      <br />
      <span class="muted">{email}</span>
    </td>
  );
}

function crumbs(orgId: string, userManagement: string, siteName: string, last: string) {
  return [
    { label: 'Products', href: orgHref(orgId, '/products') },
    {
      label: userManagement === 'original' ? `${siteName} Admin` : siteName,
      href: siteHref(orgId, siteName),
    },
    { label: 'Jira Service Management', href: customersHref(orgId, siteName) },
    {
      label: userManagement === 'centralized' ? 'Portal customers' : 'Portal-only customers',
      href: customersHref(orgId, siteName),
    },
    { label: last },
  ];
}

/** The dry run of a bulk selection: links vs new accounts, what moves, conflicts, licence impact. */
migrationsRoutes.post(`${SITE}/customers/migrate/preview`, async (c) => {
  const { page, site } = await loadSite(c, 'customers.migrate');
  const services = c.get('services');
  const form = await readForm(c);
  const customerIds = [...new Set(form.all('customerId'))];
  const includeRevoked = form.get('includeRevoked') === 'yes';
  const confirmUnverifiedLinks = form.all('confirmLink');
  const list = customersHref(page.org.id, site.name);
  const frame = (body: Child, status: 200 | 400 = 200) =>
    c.html(
      <AdminShell
        page={page}
        title="Migrate selected customers"
        section="products"
        site={site.name}
        currentPath={list}
        crumbs={crumbs(page.org.id, page.org.userManagement, site.name, 'Migration preview')}
      >
        {body}
      </AdminShell>,
      status,
    );
  if (customerIds.length === 0)
    return frame(
      <RefusalWithWayBack list={list}>Select at least one customer to migrate.</RefusalWithWayBack>,
      400,
    );
  if (customerIds.length > MAX_CUSTOMERS_PER_CALL)
    return frame(
      <RefusalWithWayBack list={list}>
        Select at most {MAX_CUSTOMERS_PER_CALL.toLocaleString('en')} customers at a time (you selected{' '}
        {customerIds.length.toLocaleString('en')}). Use the CLI for more.
      </RefusalWithWayBack>,
      400,
    );
  const input = { orgId: page.org.id, siteId: site.id, customerIds, includeRevoked, confirmUnverifiedLinks };
  let plan: Awaited<ReturnType<typeof planMigration>>;
  try {
    plan = await planMigration(services, c.get('actor'), input);
  } catch (error) {
    const errors = formErrorsOf(error);
    return frame(<RefusalWithWayBack list={list}>{errors._form}</RefusalWithWayBack>, 400);
  }
  const { summary, licence } = plan;
  const migratable = summary.link + summary.create;
  return frame(
    <>
      <p>Nothing has changed yet. This is what migrating the {summary.total} selected customers would do:</p>
      <dl class="props" aria-label="Summary">
        <dt>Link to an existing account</dt>
        <dd data-testid="plan-link">{summary.link}</dd>
        <dt>Create a new account</dt>
        <dd data-testid="plan-create">{summary.create}</dd>
        <dt>Can’t be migrated</dt>
        <dd data-testid="plan-refuse">{summary.refuse}</dd>
        <dt>Requests that move</dt>
        <dd>{summary.counts.requests}</dd>
        <dt>Comments that move</dt>
        <dd>{summary.counts.comments}</dd>
        <dt>Participations, approvals, organizations</dt>
        <dd>
          {summary.counts.participants}, {summary.counts.approvals}, {summary.counts.organizationMemberships}
        </dd>
        <dt>Licence impact</dt>
        <dd>
          None: the Customer role is free.{' '}
          {licence.seatLimit !== null
            ? `Giving all of them agent access later would need ${licence.seatsNeededForAgentAccess} Jira Service Management seats (${licence.seatsLeft} of ${licence.seatLimit} left).`
            : ''}
        </dd>
      </dl>
      <ul>
        <li>Each portal-only profile is deactivated and shows as Inactive; this can’t be undone.</li>
        <li>
          Each account gets a new user key, the ‘Customer’ role and the group
          jira-servicemanagement-customers-{site.name}.
        </li>
        <li>New accounts get an email to verify their address and set a password.</li>
      </ul>
      <form method="post" action={`${list}/migrate/start`} class="stack">
        <CsrfField token={page.csrf} />
        {includeRevoked ? <input type="hidden" name="includeRevoked" value="yes" /> : null}
        <div class="table-wrap">
          <table>
            <caption>Per customer</caption>
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Result</th>
                <th scope="col">Requests</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {plan.customers.map((p) => (
                <tr>
                  <CustomerCell displayName={p.displayName} email={p.email} />
                  <td>
                    {p.action === 'link' ? (
                      <span class="badge badge-info">Link to existing account</span>
                    ) : p.action === 'create' ? (
                      <span class="badge badge-ok">New account</span>
                    ) : (
                      <span class="badge badge-danger">Conflict</span>
                    )}
                  </td>
                  <td>{p.counts.requests}</td>
                  <td>
                    {p.conflict ? p.conflict.message : null}
                    {p.action !== 'refuse' ? (
                      <input type="hidden" name="customerId" value={p.customerId} />
                    ) : null}
                    {p.conflict?.code === 'migration.unverified_twin' ? (
                      <label>
                        <input type="checkbox" name="confirmLink" value={p.customerId} /> Link anyway
                      </label>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div class="actions">
          <button type="submit" class="danger" disabled={migratable === 0}>
            Migrate {migratable} customer{migratable === 1 ? '' : 's'}
          </button>
          <a class="button" href={list}>
            Cancel
          </a>
        </div>
      </form>
    </>,
  );
});

migrationsRoutes.post(`${SITE}/customers/migrate/start`, async (c) => {
  const { page, site } = await loadSite(c, 'customers.migrate');
  const form = await readForm(c);
  const customerIds = [...new Set(form.all('customerId'))];
  const list = customersHref(page.org.id, site.name);
  try {
    const { task } = await startMigration(c.get('services'), c.get('actor'), {
      orgId: page.org.id,
      siteId: site.id,
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

const TASK_LABEL: Record<string, string> = {
  queued: 'Waiting to start',
  running: 'Migrating',
  succeeded: 'Finished',
  failed: 'Finished with failures',
  cancelled: 'Cancelled',
};

async function loadTask(c: AdminContext) {
  const { page, site } = await loadSite(c, 'customers.migrate');
  const result = await getMigrationTask(
    c.get('services').db,
    c.get('actor'),
    { orgId: page.org.id, siteId: site.id, taskId: c.req.param('taskId')! },
    { limit: 1000 },
  );
  return { page, site, ...result };
}

type TaskView = Awaited<ReturnType<typeof loadTask>>;

/** The live part of the task page: htmx polls it every second while the task runs. */
function TaskProgress({ view, href, csrf }: { view: TaskView; href: string; csrf: string }) {
  const { task, counts, items } = view;
  const done = counts.total - counts.pending;
  const live = task.status === 'queued' || task.status === 'running';
  return (
    <section
      id="task-progress"
      aria-live="polite"
      hx-get={live ? `${href}/progress` : undefined}
      hx-trigger={live ? 'every 1s' : undefined}
      hx-swap="outerHTML"
      data-status={task.status}
    >
      <p>
        <strong data-testid="task-status">{TASK_LABEL[task.status] ?? task.status}</strong>: {done} of{' '}
        {counts.total} done ({counts.succeeded} migrated, {counts.failed} failed, {counts.skipped} skipped
        {counts.cancelled ? `, ${counts.cancelled} cancelled` : ''}).
      </p>
      <progress max={counts.total} value={done} aria-label="Migration progress">
        {done} of {counts.total}
      </progress>
      {live ? (
        <form method="post" action={`${href}/cancel`} hx-boost="false">
          <CsrfField token={csrf} />
          <button type="submit">Cancel the customers not started yet</button>
        </form>
      ) : (
        <p>
          <a class="button primary" href={`${href}/report.csv`} download>
            Download report (CSV)
          </a>
        </p>
      )}
      <div class="table-wrap">
        <table>
          <caption>Per customer</caption>
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Result</th>
              <th scope="col">Account</th>
            </tr>
          </thead>
          <tbody>
            {items.map(({ item, email, displayName }) => (
              <tr>
                <CustomerCell displayName={displayName} email={email} />
                <td>
                  {item.status === 'succeeded' ? (
                    <span class="badge badge-ok">{item.outcome === 'linked' ? 'Linked' : 'New account'}</span>
                  ) : item.status === 'pending' ? (
                    <span class="badge">Waiting</span>
                  ) : (
                    <span class="badge badge-danger">{item.status}</span>
                  )}{' '}
                  {item.errorMessage ? <span class="muted">{item.errorMessage}</span> : null}
                </td>
                <td>{item.accountId ? <code>{item.accountId}</code> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

migrationsRoutes.get(`${SITE}/migrations/:taskId`, async (c) => {
  const view = await loadTask(c);
  const { page, site, task } = view;
  const href = migrationTaskHref(page.org.id, site.name, task.id);
  return c.html(
    <AdminShell
      page={page}
      title="Migration to Atlassian accounts"
      section="products"
      site={site.name}
      currentPath={customersHref(page.org.id, site.name)}
      crumbs={crumbs(page.org.id, page.org.userManagement, site.name, 'Migration')}
    >
      <TaskProgress view={view} href={href} csrf={view.page.csrf} />
      <p>
        <a href={customersHref(page.org.id, site.name)}>Back to the customers</a>
      </p>
    </AdminShell>,
  );
});

migrationsRoutes.get(`${SITE}/migrations/:taskId/progress`, async (c) => {
  const view = await loadTask(c);
  const href = migrationTaskHref(view.page.org.id, view.site.name, view.task.id);
  return c.html(<TaskProgress view={view} href={href} csrf={view.page.csrf} />);
});

migrationsRoutes.post(`${SITE}/migrations/:taskId/cancel`, async (c) => {
  const { page, site } = await loadSite(c, 'customers.migrate');
  const href = migrationTaskHref(page.org.id, site.name, c.req.param('taskId'));
  try {
    await cancelMigration(c.get('services'), c.get('actor'), {
      orgId: page.org.id,
      siteId: site.id,
      taskId: c.req.param('taskId'),
    });
  } catch (error) {
    // Already finished: the task page shows how it ended.
    formErrorsOf(error);
  }
  return c.redirect(href, 303);
});

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  // Quote always; neutralize spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
};

migrationsRoutes.get(`${SITE}/migrations/:taskId/report.csv`, async (c) => {
  const { page, site } = await loadSite(c, 'customers.migrate');
  const report = await getMigrationReport(c.get('services').db, c.get('actor'), {
    orgId: page.org.id,
    siteId: site.id,
    taskId: c.req.param('taskId'),
  });
  const header = [
    'customer_id',
    'email',
    'name',
    'status',
    'outcome',
    'account_id',
    'old_user_key',
    'new_user_key',
    'requests',
    'comments',
    'error_code',
    'error_message',
  ];
  const lines = report.items.map(({ item, email, displayName, oldUserKey, newUserKey }) =>
    [
      item.customerId,
      email,
      displayName,
      item.status,
      item.outcome,
      item.accountId,
      oldUserKey,
      newUserKey,
      item.counts?.requests,
      item.counts?.comments,
      item.errorCode,
      item.errorMessage,
    ]
      .map(csvCell)
      .join(','),
  );
  return c.body([header.join(','), ...lines].join('\r\n') + '\r\n', 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="migration-${report.task.id}.csv"`,
  });
});

/** Live customers whose email also has an account: the ones the seed says to migrate. */
migrationsRoutes.get(`${SITE}/customers/duplicates`, async (c) => {
  const { page, site } = await loadSite(c, 'customers.view');
  const rows = await listDuplicateCandidatesOfSite(c.get('services').db, c.get('actor'), {
    orgId: page.org.id,
    siteId: site.id,
    limit: 500,
  });
  const list = customersHref(page.org.id, site.name);
  return c.html(
    <AdminShell
      page={page}
      title="Duplicate candidates"
      section="products"
      site={site.name}
      currentPath={list}
      crumbs={crumbs(page.org.id, page.org.userManagement, site.name, 'Duplicate candidates')}
    >
      <p>
        These portal-only customers share their email with an Atlassian account. Until you migrate them, the
        account can’t view the requests they sent as a portal-only customer.
      </p>
      {rows.length === 0 ? (
        <p>No duplicates.</p>
      ) : (
        <form method="post" action={`${list}/migrate/preview`}>
          <CsrfField token={page.csrf} />
          <table>
            <thead>
              <tr>
                <th scope="col">Select</th>
                <th scope="col">Customer</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ customer, account }) => (
                <tr>
                  <td>
                    <input
                      type="checkbox"
                      name="customerId"
                      value={customer.id}
                      aria-label={`Select ${customer.displayName}`}
                    />
                  </td>
                  <td>
                    <a href={`${list}/${encodeURIComponent(customer.id)}`}>{customer.displayName}</a>
                    <br />
                    <span class="muted">{customer.email}</span>
                  </td>
                  <td>
                    {account.name}{' '}
                    {account.emailVerifiedAt ? '' : <span class="badge badge-warn">unverified</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit" class="primary">
            Migrate selected…
          </button>
        </form>
      )}
    </AdminShell>,
  );
});
