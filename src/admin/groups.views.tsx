import type { FC } from 'hono/jsx';
import { countText, DataTable, sortingAt } from '#src/web/ui/data-table.tsx';
import { AdminShell } from './admin-shell.tsx';
import { type Scope, shellProps } from './users.views.tsx';

/** The columns the groups list sorts by. */
export const GROUP_SORTS = ['name', 'members'] as const;

/** Groups of the org (centralized: Directory → Groups; original: the site's Groups), sorted, with the total. */
export const GroupsView: FC<{
  scope: Scope;
  currentPath: string;
  groups: { group: { name: string; description: string | null; isDefault: boolean }; members: number }[];
  sort: { key: (typeof GROUP_SORTS)[number]; descending: boolean };
  offset: number;
  total: number;
  pageNumber: number;
  pages: number;
}> = ({ scope, currentPath, groups, sort, offset, total, pageNumber, pages }) => {
  const props = shellProps(scope, currentPath, 'Groups');
  const href = (extra: Record<string, string>) =>
    `?${new URLSearchParams({ sort: sort.key, dir: sort.descending ? 'desc' : 'asc', ...extra })}`;
  return (
    <AdminShell {...props} crumbs={props.crumbs.slice(0, -1).concat({ label: 'Groups' })}>
      <p class="muted list-count" data-testid="groups-count">
        {countText(total, offset, groups.length, ['group', 'groups'])}
      </p>
      <DataTable
        caption="Groups"
        rows={groups}
        sorting={sortingAt(`${currentPath}${href({})}`, sort)}
        columns={[
          { header: 'Group', sort: 'name', cell: ({ group: g }) => g.name },
          { header: 'Description', cell: ({ group: g }) => g.description },
          { header: 'Members', sort: 'members', cell: ({ members }) => members },
          { header: 'Default', cell: ({ group: g }) => (g.isDefault ? 'Default group' : '') },
        ]}
      />
      {pages > 1 ? (
        <nav aria-label="Pagination" class="pagination">
          {pageNumber > 1 ? <a href={href({ page: String(pageNumber - 1) })}>Previous page</a> : null}
          {pageNumber < pages ? <a href={href({ page: String(pageNumber + 1) })}>Next page</a> : null}
        </nav>
      ) : null}
    </AdminShell>
  );
};
