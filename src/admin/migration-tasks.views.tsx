import type { FC } from 'hono/jsx';
import type { MigrationTaskRow, TaskSort } from '#src/db/queries/migration/migration-tasks.queries.ts';
import { countText, DataTable, sortingAt } from '#src/web/ui/data-table.tsx';
import type { OrgPage } from './admin-context.ts';
import { AdminShell, customersHref, migrationTaskHref, siteHref } from './admin-shell.tsx';
import { taskStatusLabel } from './migration-task.views.tsx';
import { crumbs } from './migrations.views.tsx';

/** The columns the migrations list sorts by. */
export const TASK_SORTS = ['created', 'status', 'total'] as const satisfies readonly TaskSort[];

const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '—');

const badgeOf = (status: string) =>
  status === 'succeeded' ? 'badge-ok' : status === 'failed' ? 'badge-danger' : 'badge-info';

/** The site's migration tasks, newest first unless sorted otherwise, with the total and pages. */
export const MigrationTasksView: FC<{
  page: OrgPage;
  siteName: string;
  currentPath: string;
  tasks: { task: MigrationTaskRow; succeeded: number; failed: number }[];
  sort: { key: TaskSort; descending: boolean };
  pageNumber: number;
  perPage: number;
  total: number;
}> = ({ page, siteName, currentPath, tasks, sort, pageNumber, perPage, total }) => {
  const list = siteHref(page.org.id, siteName, '/jsm/migrations');
  const href = (extra: Record<string, string>) =>
    `${list}?${new URLSearchParams({ sort: sort.key, dir: sort.descending ? 'desc' : 'asc', ...extra })}`;
  const offset = (pageNumber - 1) * perPage;
  return (
    <AdminShell
      page={page}
      title="Migrations"
      section="products"
      site={siteName}
      currentPath={currentPath}
      crumbs={crumbs(page.org.id, page.org.userManagement, siteName, 'Migrations')}
    >
      <p class="muted list-count" data-testid="tasks-count">
        {countText(total, offset, tasks.length, ['migration', 'migrations'])}
      </p>
      {tasks.length === 0 ? (
        <p>
          No migrations yet. Start one from the{' '}
          <a href={customersHref(page.org.id, siteName)}>portal-only customers</a>.
        </p>
      ) : (
        <DataTable
          caption={`Migrations on ${siteName}`}
          rows={tasks}
          sorting={sortingAt(href({}), sort)}
          columns={[
            {
              header: 'Started (UTC)',
              sort: 'created',
              cell: ({ task }) => (
                <a href={migrationTaskHref(page.org.id, siteName, task.id)}>{when(task.createdAt)}</a>
              ),
            },
            {
              header: 'Status',
              sort: 'status',
              cell: ({ task }) => (
                <span class={`badge ${badgeOf(task.status)}`}>{taskStatusLabel(task.status)}</span>
              ),
            },
            { header: 'Customers', sort: 'total', cell: ({ task }) => task.total },
            { header: 'Migrated', cell: ({ succeeded }) => succeeded },
            { header: 'Failed', cell: ({ failed }) => failed },
            { header: 'Finished (UTC)', cell: ({ task }) => when(task.finishedAt) },
          ]}
        />
      )}
      <nav aria-label="Pagination" class="pagination">
        {pageNumber > 1 ? <a href={href({ page: String(pageNumber - 1) })}>Previous page</a> : null}
        {offset + tasks.length < total ? (
          <a href={href({ page: String(pageNumber + 1) })}>Next page</a>
        ) : null}
      </nav>
    </AdminShell>
  );
};
