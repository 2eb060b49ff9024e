import type { FC } from 'hono/jsx';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { TaskItemStatus } from '#src/db/queries/migration/migration-task-items.queries.ts';
import type { getMigrationTask } from '#src/domain/migration/get-migration-task.ts';
import { DataTable, listHref, sortingAt } from '#src/web/ui/data-table.tsx';
import { CsrfField } from '#src/web/ui/fields.tsx';
import type { OrgPage } from './admin-context.ts';
import { AdminShell, customersHref, siteHref, userHref, usersHref } from './admin-shell.tsx';
import { crumbs } from './migrations.views.tsx';

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

/** The columns the per-customer table sorts by; `position` (the order of the selection) is the default. */
export const ITEM_SORTS = ['position', 'name', 'email', 'status'] as const;

/** The per-customer table's "Show" filter: its choices, the statuses each shows, and how the counts name it. */
export const ITEM_FILTERS: Record<
  string,
  { label: string; statuses?: TaskItemStatus[]; count?: keyof TaskView['counts'] }
> = {
  all: { label: 'All customers' },
  failed: { label: 'Failed', statuses: ['failed'], count: 'failed' },
  succeeded: { label: 'Migrated', statuses: ['succeeded'], count: 'succeeded' },
  pending: { label: 'Waiting', statuses: ['pending'], count: 'pending' },
  skipped: { label: 'Skipped', statuses: ['skipped'], count: 'skipped' },
  cancelled: { label: 'Cancelled', statuses: ['cancelled'], count: 'cancelled' },
};

export type TaskView = Awaited<ReturnType<typeof getMigrationTask>> & { page: OrgPage; site: SiteRow };

/** How the per-customer table is shown: its order and status filter, and the page's own URL (for the links). */
export interface ItemsShown {
  url: string;
  sort: { key: (typeof ITEM_SORTS)[number]; descending: boolean };
  show: string;
}

/** A migrated customer's account: name and email, linked to its user page. */
function AccountCell({ view, row }: { view: TaskView; row: TaskView['items'][number] }) {
  const { item, account } = row;
  if (!item.accountId) return <span class="muted">—</span>;
  return (
    <span>
      <a href={userHref(view.page.org, view.site.name, item.accountId)}>{account?.name ?? item.accountId}</a>
      {account ? (
        <>
          <br />
          <span class="muted">{account.email}</span>
        </>
      ) : null}
    </span>
  );
}

/** The per-customer results: sortable by name, email and status, filtered by status, with how many show. */
function ItemsTable({ view, shown }: { view: TaskView; shown: ItemsShown }) {
  const { counts, items } = view;
  const filter = ITEM_FILTERS[shown.show] ?? ITEM_FILTERS.all!;
  return (
    <section aria-labelledby="items-heading">
      <h2 id="items-heading">Per customer</h2>
      <form
        method="get"
        action={listHref(shown.url, { sort: undefined, dir: undefined, show: undefined })}
        class="filters"
        aria-label="Filter customers"
      >
        {shown.sort.key !== 'position' ? (
          <>
            <input type="hidden" name="sort" value={shown.sort.key} />
            <input type="hidden" name="dir" value={shown.sort.descending ? 'desc' : 'asc'} />
          </>
        ) : null}
        <div class="field">
          <label for="items-show">Show</label>
          <select id="items-show" name="show">
            {Object.entries(ITEM_FILTERS).map(([key, f]) => (
              <option value={key} selected={key === shown.show}>
                {f.label} ({f.count ? counts[f.count] : counts.total})
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Show</button>
      </form>
      <p class="muted list-count" data-testid="items-count">
        {filter.count
          ? `${items.length} of ${counts.total} customers: ${filter.label.toLowerCase()}`
          : `${counts.total} customer${counts.total === 1 ? '' : 's'}`}
      </p>
      {items.length ? (
        <DataTable
          caption="Per customer"
          rows={items}
          sorting={sortingAt(shown.url, shown.sort)}
          columns={[
            { header: 'Name', sort: 'name', cell: (row) => row.displayName },
            { header: 'Email', sort: 'email', cell: (row) => <span class="muted">{row.email}</span> },
            {
              header: 'Result',
              sort: 'status',
              cell: ({ item }) => (
                <>
                  {item.status === 'succeeded' ? (
                    <span class="badge badge-ok">{item.outcome === 'linked' ? 'Linked' : 'New account'}</span>
                  ) : item.status === 'pending' ? (
                    <span class="badge">Waiting</span>
                  ) : (
                    <span class="badge badge-danger">{ITEM_LABEL[item.status] ?? item.status}</span>
                  )}{' '}
                  {item.errorMessage ? <span class="muted">{item.errorMessage}</span> : null}
                </>
              ),
            },
            { header: 'Account', cell: (row) => <AccountCell view={view} row={row} /> },
          ]}
        />
      ) : (
        <p>No customers match.</p>
      )}
    </section>
  );
}

/** What happened and what to do next, once the task has ended. */
function NextSteps({ view, href }: { view: TaskView; href: string }) {
  const { counts, outcomes, page, site } = view;
  return (
    <section aria-labelledby="next-steps" data-testid="next-steps">
      <h2 id="next-steps">Next steps</h2>
      <ul>
        {outcomes.created > 0 ? (
          <li>
            {outcomes.created} email{outcomes.created === 1 ? '' : 's'} sent to set passwords: each new
            account’s owner chooses a password from the link, then logs in with their email.
          </li>
        ) : null}
        {outcomes.linked > 0 ? (
          <li>
            {outcomes.linked} customer{outcomes.linked === 1 ? '' : 's'} linked to an existing account: they
            log in with that account’s password.
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
  );
}

export /**
 * The live part of the task page. While the task runs, app.js polls `progress.json` every 750 ms and updates the
 * counts and the bar in place, then puts this section as the finished page renders it in its place (per-customer
 * results and next steps), in the order and filter the reader chose (it reads the page's own URL).
 * Without JavaScript, reloading the page shows the same numbers.
 */
function TaskProgress({
  view,
  href,
  csrf,
  shown,
}: {
  view: TaskView;
  href: string;
  csrf: string;
  shown: ItemsShown;
}) {
  const { task, counts } = view;
  const done = counts.total - counts.pending;
  const live = task.status === 'queued' || task.status === 'running';
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
        <NextSteps view={view} href={href} />
      )}
      <ItemsTable view={view} shown={shown} />
    </section>
  );
}

/** The task page: live progress (polled while it runs), then the report link. */
export const TaskPageView: FC<{ view: TaskView; href: string; shown: ItemsShown }> = ({
  view,
  href,
  shown,
}) => {
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
      <TaskProgress view={view} href={href} csrf={view.page.csrf} shown={shown} />
      <p class="inline-links">
        <a href={customersHref(page.org.id, site.name)}>Back to the customers</a>
        <a href={siteHref(page.org.id, site.name, '/jsm/migrations')}>All migrations</a>
      </p>
    </AdminShell>
  );
};
