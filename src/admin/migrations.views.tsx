import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { getMigrationTask } from '#src/domain/migration/get-migration-task.ts';
import type { listDuplicateCandidatesOfSite } from '#src/domain/migration/lookup-customer-migration.ts';
import type { planMigration } from '#src/domain/migration/plan-migration.ts';
import { CsrfField } from '#src/web/ui/fields.tsx';
import { Notice } from '#src/web/ui/layout.tsx';
import type { OrgPage } from './admin-context.ts';
import { AdminShell, customersHref, orgHref, siteHref, userHref, usersHref } from './admin-shell.tsx';

export /** Why a migration can't go ahead, with the way back to the customers list. */
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

export function crumbs(orgId: string, userManagement: string, siteName: string, last: string) {
  return [
    { label: 'Products', href: orgHref(orgId, '/products') },
    {
      label: userManagement === 'original' ? `${siteName} Admin` : siteName,
      href: siteHref(orgId, siteName),
    },
    { label: 'Jira Service Management', href: customersHref(orgId, siteName) },
    {
      label: 'Portal-only customers',
      href: customersHref(orgId, siteName),
    },
    { label: last },
  ];
}

/** The frame of the preview page (and of its refusals). */
export const MigrationPreviewFrame: FC<
  PropsWithChildren<{ page: OrgPage; siteName: string; list: string }>
> = ({ page, siteName, list, children }) => (
  <AdminShell
    page={page}
    title="Migrate selected customers"
    section="products"
    site={siteName}
    currentPath={list}
    crumbs={crumbs(page.org.id, page.org.userManagement, siteName, 'Migration preview')}
  >
    {children}
  </AdminShell>
);

/** The dry run of a bulk selection: links vs new accounts, what moves, conflicts, licence impact. */
export const MigrationPlanView: FC<{
  page: OrgPage;
  siteName: string;
  list: string;
  includeRevoked: boolean;
  plan: Awaited<ReturnType<typeof planMigration>>;
}> = ({ page, siteName, list, includeRevoked, plan }) => {
  const { summary, licence } = plan;
  const migratable = summary.link + summary.create;
  return (
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
          jira-servicemanagement-customers-{siteName}.
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
    </>
  );
};

const ITEM_LABEL: Record<string, string> = {
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
  running: 'Migrating',
};

const TASK_LABEL: Record<string, string> = {
  queued: 'Waiting to start',
  running: 'Migrating',
  succeeded: 'Finished',
  failed: 'Finished with failures',
  cancelled: 'Cancelled',
};

/** The status of a task as the page (and its live updates) word it. */
export const taskStatusLabel = (status: string) => TASK_LABEL[status] ?? status;

export type TaskView = Awaited<ReturnType<typeof getMigrationTask>> & { page: OrgPage; site: SiteRow };

export /**
 * The live part of the task page. While the task runs, app.js polls `progress.json` every 750 ms and updates the
 * counts and the bar in place, then puts this section as the finished page renders it in its place (per-customer
 * results and next steps).
 * Without JavaScript, reloading the page shows the same numbers.
 */
function TaskProgress({ view, href, csrf }: { view: TaskView; href: string; csrf: string }) {
  const { task, counts, items, page, site } = view;
  const done = counts.total - counts.pending;
  const live = task.status === 'queued' || task.status === 'running';
  const created = items.filter(
    ({ item }) => item.status === 'succeeded' && item.outcome === 'created',
  ).length;
  const linked = items.filter(({ item }) => item.status === 'succeeded' && item.outcome === 'linked').length;
  return (
    <section
      id="task-progress"
      aria-labelledby="task-progress-heading"
      data-progress-url={live ? `${href}/progress.json` : undefined}
      data-status={task.status}
    >
      <h2 id="task-progress-heading" class="visually-hidden">
        Progress
      </h2>
      <p aria-live="polite">
        <strong data-testid="task-status" data-progress="label">
          {taskStatusLabel(task.status)}
        </strong>
        : <span data-progress="done">{done}</span> of <span data-progress="total">{counts.total}</span> done (
        <span data-progress="succeeded">{counts.succeeded}</span> migrated,{' '}
        <span data-progress="failed">{counts.failed}</span> failed,{' '}
        <span data-progress="skipped">{counts.skipped}</span> skipped
        {counts.cancelled ? `, ${counts.cancelled} cancelled` : ''}).
      </p>
      <progress
        max={counts.total}
        value={done}
        aria-label="Migration progress"
        data-progress="bar"
        data-testid="task-bar"
      >
        {done} of {counts.total}
      </progress>
      {live ? (
        <noscript>
          <p>
            <a href={href}>Reload</a> to see the latest counts.
          </p>
        </noscript>
      ) : null}
      {live ? (
        <form method="post" action={`${href}/cancel`}>
          <CsrfField token={csrf} />
          <button type="submit">Cancel the customers not started yet</button>
        </form>
      ) : (
        <section aria-labelledby="next-steps" data-testid="next-steps">
          <h2 id="next-steps">Next steps</h2>
          <ul>
            {created > 0 ? (
              <li>
                {created} email{created === 1 ? '' : 's'} sent to set passwords: each new account’s owner
                chooses a password from the link, then logs in with their email.
              </li>
            ) : null}
            {linked > 0 ? (
              <li>
                {linked} customer{linked === 1 ? '' : 's'} linked to an existing account: they log in with
                that account’s password.
              </li>
            ) : null}
            {counts.failed > 0 ? (
              <li>
                {counts.failed} failed: the report says why; fix it and migrate them again from the customers
                list.
              </li>
            ) : null}
            <li>
              Find the migrated people under <a href={usersHref(page.org, site.name)}>Users</a> to give them
              product access.
            </li>
          </ul>
          <p>
            <a class="button primary" href={`${href}/report.csv`} download>
              Download report (CSV)
            </a>
          </p>
        </section>
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
                    <span class="badge badge-danger">{ITEM_LABEL[item.status] ?? item.status}</span>
                  )}{' '}
                  {item.errorMessage ? <span class="muted">{item.errorMessage}</span> : null}
                </td>
                <td>
                  {item.accountId ? (
                    <a href={userHref(page.org, site.name, item.accountId)}>
                      <code>{item.accountId}</code>
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The task page: live progress (polled while it runs), then the report link. */
export const TaskPageView: FC<{ view: TaskView; href: string }> = ({ view, href }) => {
  const { page, site } = view;
  return (
    <AdminShell
      page={page}
      title="Migration to Gatehouse accounts"
      section="products"
      site={site.name}
      currentPath={customersHref(page.org.id, site.name)}
      crumbs={crumbs(page.org.id, page.org.userManagement, site.name, 'Migration')}
    >
      <TaskProgress view={view} href={href} csrf={view.page.csrf} />
      <p class="inline-links">
        <a href={customersHref(page.org.id, site.name)}>Back to the customers</a>
        <a href={siteHref(page.org.id, site.name, '/jsm/migrations')}>All migrations</a>
      </p>
    </AdminShell>
  );
};

/** Live customers whose email also has an account: the ones the seed says to migrate. */
export const DuplicatesView: FC<{
  page: OrgPage;
  siteName: string;
  list: string;
  rows: Awaited<ReturnType<typeof listDuplicateCandidatesOfSite>>;
}> = ({ page, siteName, list, rows }) => (
  <AdminShell
    page={page}
    title="Duplicate candidates"
    section="products"
    site={siteName}
    currentPath={list}
    crumbs={crumbs(page.org.id, page.org.userManagement, siteName, 'Duplicate candidates')}
  >
    <p>
      These portal-only customers share their email with a Gatehouse account. Until you migrate them, the
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
                  {account.emailVerifiedAt ? '' : <span class="badge badge-warn">Unverified</span>}
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
  </AdminShell>
);
