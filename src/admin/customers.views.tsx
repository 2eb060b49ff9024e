import type { FC } from 'hono/jsx';
import type { CustomerSort, PortalCustomerRow } from '#src/db/queries/customers/portal-customers.queries.ts';
import type { CustomerStatus } from '#src/db/schema/index.ts';
import { presentCustomerName } from '#src/domain/customers/customer-display.ts';
import { countText, DataTable, sortingAt } from '#src/web/ui/data-table.tsx';
import { CsrfField } from '#src/web/ui/fields.tsx';
import { Notice } from '#src/web/ui/layout.tsx';
import type { OrgPage } from './admin-context.ts';
import { AdminShell, customersHref, orgHref, siteHref, userHref } from './admin-shell.tsx';

export const PAGE_SIZES = [25, 50, 100, 500, 1000] as const;

/** The columns the customers list sorts by. */
export const CUSTOMER_SORTS = ['name', 'email', 'status'] as const satisfies readonly CustomerSort[];

export const STATUS_FILTERS: Record<string, { label: string; statuses?: CustomerStatus[] }> = {
  all: { label: 'All (not deleted)' },
  active: { label: 'Active', statuses: ['active'] },
  revoked: { label: 'Access revoked', statuses: ['revoked'] },
  migrated: { label: 'Migrated (Inactive)', statuses: ['migrating', 'migrated'] },
  deleted: { label: 'Deleted', statuses: ['deleted'] },
};

export const NOTICES: Record<string, string> = {
  password: 'The password was changed. The customer’s sessions have ended.',
  name: 'The full name was changed.',
  revoke: 'Portal access was revoked. The customer shows as Deactivated and cannot log in.',
  grant: 'Portal access was granted again.',
  delete: 'The customer was deleted. Their requests now show “Former user (Deactivated)”.',
};

/** Warnings the list shows after a redirect (`?warn=<key>`). */
export const WARNINGS: Record<string, string> = {
  'nothing-selected': 'Nothing was selected. Tick the customers to migrate, then choose “Migrate selected…”.',
};

export type Row = PortalCustomerRow;

export function statusBadge(customer: Pick<Row, 'status' | 'displayName'>) {
  const { statusLabel } = presentCustomerName(customer);
  const kind =
    statusLabel === 'Active'
      ? 'ok'
      : statusLabel === 'Inactive' || statusLabel === 'Migrating'
        ? 'info'
        : 'danger';
  return <span class={`badge badge-${kind}`}>{statusLabel}</span>;
}

/** The breadcrumb trail along the seed's path for the org's experience. */
export function customerCrumbs(page: OrgPage, siteName: string, last?: string) {
  const list = customersHref(page.org.id, siteName);
  const label = 'Portal-only customers';
  return [
    { label: 'Products', href: orgHref(page.org.id, '/products') },
    {
      label: page.org.userManagement === 'original' ? `${siteName} Admin` : siteName,
      href: siteHref(page.org.id, siteName),
    },
    { label: 'Jira Service Management', href: list },
    ...(last ? [{ label, href: list }, { label: last }] : [{ label }]),
  ];
}

/** A customer whose access can still change (not migrated or deleted). */
const changeable = (customer: Row) => customer.status === 'active' || customer.status === 'revoked';

/** What the caller may do to the customers of this site (the actions each row offers). */
export interface CustomerPermissions {
  mayMigrate: boolean;
  mayRevoke: boolean;
  mayDelete: boolean;
  mayPassword: boolean;
  mayName: boolean;
}

/** The list: search, status filter, page size, the table with per-row actions, and bulk migration. */
export const CustomersListView: FC<
  CustomerPermissions & {
    page: OrgPage;
    siteName: string;
    currentPath: string;
    q: string;
    statusKey: string;
    limit: number;
    sort: { key: CustomerSort; descending: boolean };
    pageNumber: number;
    total: number;
    hasMore: boolean;
    shown: Row[];
    /** Ids of the shown customers whose email also belongs to an account. */
    duplicates: Set<string>;
    notice?: string;
    warning?: string;
  }
> = ({
  page,
  siteName,
  currentPath,
  q,
  statusKey,
  limit,
  sort,
  pageNumber,
  total,
  hasMore,
  shown,
  duplicates,
  notice,
  warning,
  mayMigrate,
  mayRevoke,
  mayDelete,
  mayPassword,
  mayName,
}) => {
  const list = customersHref(page.org.id, siteName);
  const query = (extra: Record<string, string>) =>
    `?${new URLSearchParams({
      ...(q ? { q } : {}),
      status: statusKey,
      limit: String(limit),
      sort: sort.key,
      dir: sort.descending ? 'desc' : 'asc',
      ...extra,
    })}`;
  // A new order starts again at the first page (and drops the notice of an action).
  const sorting = sortingAt(`${list}${query({})}`, sort);
  const hrefOf = (customer: Row) => `${list}/${encodeURIComponent(customer.id)}`;
  const RowMenu: FC<{ customer: Row }> = ({ customer }) => {
    const display = presentCustomerName(customer);
    const href = hrefOf(customer);
    return (
      <details class="row-menu">
        <summary aria-label={`Actions for ${display.displayName}`}>•••</summary>
        <ul>
          {mayPassword ? (
            <li>
              <a href={`${href}/password`}>Change password</a>
            </li>
          ) : null}
          {mayName ? (
            <li>
              <a href={`${href}/name`}>Edit full name</a>
            </li>
          ) : null}
          {mayMigrate ? (
            <li>
              <a href={`${href}/migrate`}>Migrate to a Gatehouse account</a>
            </li>
          ) : null}
          {mayRevoke ? (
            <li>
              {customer.status === 'active' ? (
                <a href={`${href}/revoke`}>Revoke access</a>
              ) : (
                <a href={`${href}/grant`}>Grant access</a>
              )}
            </li>
          ) : null}
          {mayDelete ? (
            <li>
              <a href={`${href}/delete`}>Delete</a>
            </li>
          ) : null}
        </ul>
      </details>
    );
  };
  return (
    <AdminShell
      page={page}
      title="Portal-only customers"
      section="products"
      site={siteName}
      currentPath={currentPath}
      crumbs={customerCrumbs(page, siteName)}
    >
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
      {warning ? <Notice kind="warn">{warning}</Notice> : null}
      <p class="muted">
        Customers who log in only to the {siteName} help center. Migrate one to a Gatehouse account to give
        them product access. <a href={`${list}/duplicates`}>Duplicate candidates</a>
      </p>
      <form method="get" action={list} class="filters" aria-label="Search and filter customers">
        <div class="field">
          <label for="q">Search by email or name</label>
          <input id="q" name="q" type="search" value={q} />
        </div>
        <div class="field">
          <label for="status">Status</label>
          <select id="status" name="status">
            {Object.entries(STATUS_FILTERS).map(([key, f]) => (
              <option value={key} selected={key === statusKey}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="limit">Per page</label>
          <select id="limit" name="limit">
            {PAGE_SIZES.map((size) => (
              <option value={String(size)} selected={size === limit}>
                {size}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Apply</button>
      </form>
      <form method="post" action={`${list}/migrate/preview`} id="bulk-form">
        <CsrfField token={page.csrf} />
        <p class="muted list-count" data-testid="customers-count" aria-live="polite">
          {countText(total, (pageNumber - 1) * limit, shown.length, ['customer', 'customers'])}
        </p>
        {shown.length === 0 ? (
          <p>No customers match.</p>
        ) : (
          <DataTable
            caption={`Portal-only customers of ${siteName}`}
            rows={shown}
            sorting={sorting}
            columns={[
              mayMigrate && {
                header: (
                  <input
                    type="checkbox"
                    id="select-all"
                    data-bulk-all
                    aria-label="Select every customer on this page"
                  />
                ),
                cell: (customer) =>
                  changeable(customer) ? (
                    <input
                      type="checkbox"
                      name="customerId"
                      value={customer.id}
                      data-bulk-item
                      aria-label={`Select ${presentCustomerName(customer).displayName}`}
                    />
                  ) : null,
              },
              {
                header: 'Name',
                sort: 'name',
                cell: (customer) => (
                  <>
                    <a href={hrefOf(customer)}>{presentCustomerName(customer).displayName}</a>
                    {duplicates.has(customer.id) ? (
                      <>
                        {' '}
                        {/* In its row, "Also has an account" says whose; the notice on the page says what to do. */}
                        <a class="badge badge-warn" href={`${hrefOf(customer)}#duplicate`}>
                          Also has an account
                        </a>
                      </>
                    ) : null}
                  </>
                ),
              },
              {
                header: 'Email',
                sort: 'email',
                cell: (customer) => (presentCustomerName(customer).showEmail ? customer.email : '—'),
              },
              { header: 'Status', sort: 'status', cell: (customer) => statusBadge(customer) },
              {
                header: <span class="visually-hidden">Actions</span>,
                cell: (customer) => (changeable(customer) ? <RowMenu customer={customer} /> : null),
              },
            ]}
          />
        )}
        <nav aria-label="Pagination" class="pagination">
          {pageNumber > 1 ? <a href={`${list}${query({})}`}>First page</a> : null}
          {pageNumber > 1 ? (
            <a href={`${list}${query({ page: String(pageNumber - 1) })}`}>Previous page</a>
          ) : null}
          {hasMore ? <a href={`${list}${query({ page: String(pageNumber + 1) })}`}>Next page</a> : null}
        </nav>
        {mayMigrate && shown.length > 0 ? (
          // Stays in view at the bottom of the window while the list scrolls, with the selected count.
          <fieldset class="bulk-bar">
            <legend class="visually-hidden">Selected customers</legend>
            <span data-bulk-count aria-live="polite" data-testid="bulk-count">
              0 selected
            </span>
            <button type="submit" class="primary" data-bulk-submit>
              Migrate selected…
            </button>
          </fieldset>
        ) : null}
      </form>
    </AdminShell>
  );
};

/** One customer: profile, status, and the duplicate note when an account shares the email. */
export const CustomerDetailView: FC<{
  page: OrgPage;
  siteName: string;
  currentPath: string;
  customer: Row;
  accountTwin?: { email: string; verified: boolean } | null;
  /** The account a migrated customer now is: its name and email link to its user page. */
  migratedTo?: { id: string; name: string; email: string } | null;
}> = ({ page, siteName, currentPath, customer, accountTwin, migratedTo }) => {
  const display = presentCustomerName(customer);
  const href = siteHref(page.org.id, siteName, `/jsm/customers/${encodeURIComponent(customer.id)}`);
  return (
    <AdminShell
      page={page}
      title={display.displayName}
      section="products"
      site={siteName}
      currentPath={currentPath}
      crumbs={customerCrumbs(page, siteName, display.displayName)}
    >
      {accountTwin ? (
        <div id="duplicate">
          <Notice kind="warn">
            <strong>This customer also has a Gatehouse account</strong> ({accountTwin.email}
            {accountTwin.verified ? '' : ', email not verified'}). Migrate them to it, or they can’t view the
            requests they sent as a portal-only customer.{' '}
            <a href={`${href}/migrate`}>Migrate to a Gatehouse account</a>
          </Notice>
        </div>
      ) : null}
      <dl class="props">
        <dt>Status</dt>
        <dd>{statusBadge(customer)}</dd>
        <dt>Email</dt>
        <dd>{display.showEmail ? customer.email : '—'}</dd>
        <dt>Account type</dt>
        <dd>Portal-only customer</dd>
        <dt>Customer id</dt>
        <dd>
          <code>{customer.id}</code>
        </dd>
        {customer.migratedToAccountId ? (
          <>
            <dt>Migrated to account</dt>
            <dd data-testid="migrated-to">
              <a href={userHref(page.org, siteName, customer.migratedToAccountId)}>
                {migratedTo?.name ?? customer.migratedToAccountId}
              </a>
              {migratedTo ? (
                <>
                  <br />
                  <span class="muted">{migratedTo.email}</span>
                </>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      {customer.status === 'active' || customer.status === 'revoked' ? (
        <section aria-labelledby="customer-actions">
          <h2 id="customer-actions">Actions</h2>
          <ul class="inline-links">
            <li>
              <a href={`${href}/migrate`}>Migrate to a Gatehouse account</a>
            </li>
            <li>
              <a href={`${href}/password`}>Change password</a>
            </li>
            <li>
              <a href={`${href}/name`}>Edit full name</a>
            </li>
            <li>
              {customer.status === 'active' ? (
                <a href={`${href}/revoke`}>Revoke access</a>
              ) : (
                <a href={`${href}/grant`}>Grant access</a>
              )}
            </li>
            <li>
              <a href={`${href}/delete`}>Delete</a>
            </li>
          </ul>
        </section>
      ) : null}
    </AdminShell>
  );
};
