import type { FC } from 'hono/jsx';
import type { AuditEventRow } from '#src/db/queries/audit/audit-events.queries.ts';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { EventParties } from '#src/domain/audit/describe-event-parties.ts';
import { presentCustomerName } from '#src/domain/customers/customer-display.ts';
import type { UserDetail } from '#src/domain/directory/user-detail.ts';
import {
  countText,
  DataTable,
  encodeKeyset,
  type Keyset,
  listHref,
  sortingAt,
} from '#src/web/ui/data-table.tsx';
import { CsrfField } from '#src/web/ui/fields.tsx';
import type { FieldErrors } from '#src/web/ui/forms.ts';
import { Notice } from '#src/web/ui/layout.tsx';
import type { OrgPage } from './admin-context.ts';
import { AdminShell, orgHref, siteHref } from './admin-shell.tsx';
import { AuditEventsTable } from './audit.views.tsx';

export interface Scope {
  page: OrgPage;
  /** Original experience: the site whose Users page this is. */
  site?: SiteRow;
  base: string;
}

/** The shell of a users page: Directory (centralized) or the site's Admin (original), with its breadcrumbs. */
export function shellProps(scope: Scope, currentPath: string, title: string) {
  const { page, site } = scope;
  return {
    page,
    title,
    section: site ? ('products' as const) : ('directory' as const),
    site: site?.name,
    currentPath,
    crumbs: site
      ? [
          { label: 'Products', href: orgHref(page.org.id, '/products') },
          { label: `${site.name} Admin`, href: siteHref(page.org.id, site.name) },
          { label: 'Users', href: scope.base },
          ...(title === 'Users' ? [] : [{ label: title }]),
        ]
      : [
          { label: 'Directory', href: scope.base },
          { label: 'Users', href: scope.base },
          ...(title === 'Users' ? [] : [{ label: title }]),
        ],
  };
}

/** The columns the users list sorts by (then by account id). */
export const USER_SORTS = ['name', 'email'] as const;

/** The count over the list: how many users (or matches of the search), and which ones this page shows. */
function usersCount(q: string, total: number, offset: number, shown: number) {
  if (!q) return countText(total, offset, shown, ['user', 'users']);
  if (total === 0) return `No users match “${q}”`;
  return countText(total, offset, shown, [`matching “${q}”`, `matching “${q}”`]);
}

/** One page of the org's members, sorted by name or email, with the search and the count. */
export const UsersListView: FC<{
  scope: Scope;
  /** The page's own URL: sorting and paging links keep its search. */
  url: string;
  currentPath: string;
  shown: {
    account: { id: string; name: string; email: string };
    membershipStatus: string;
    cursor?: Keyset;
  }[];
  q: string;
  sort: { key: (typeof USER_SORTS)[number]; descending: boolean };
  total: number;
  offset: number;
}> = ({ scope, url, currentPath, shown, q, sort, total, offset }) => {
  const first = shown[0]?.cursor;
  const last = shown.at(-1)?.cursor;
  const hasPrevious = offset > 0 && first;
  const hasNext = offset + shown.length < total && last;
  return (
    <AdminShell {...shellProps(scope, currentPath, 'Users')}>
      <form method="get" action={scope.base} class="filters" aria-label="Find a user">
        <input type="hidden" name="sort" value={sort.key} />
        <input type="hidden" name="dir" value={sort.descending ? 'desc' : 'asc'} />
        <div class="field">
          <label for="users-q">Search by name or email</label>
          <input id="users-q" name="q" type="search" value={q} />
        </div>
        <button type="submit">Search</button>
      </form>
      <p class="muted list-count" data-testid="users-count">
        {usersCount(q, total, offset, shown.length)}
      </p>
      {shown.length === 0 ? <p>No users match.</p> : null}
      <DataTable
        caption="Users"
        rows={shown}
        sorting={sortingAt(url, sort)}
        columns={[
          {
            header: 'Name',
            sort: 'name',
            cell: ({ account }) => <a href={`${scope.base}/${account.id}`}>{account.name}</a>,
          },
          { header: 'Email', sort: 'email', cell: ({ account }) => account.email },
          {
            header: 'Status',
            cell: ({ membershipStatus }) => (
              <span class={`badge ${membershipStatus === 'active' ? 'badge-ok' : 'badge-danger'}`}>
                {membershipStatus === 'active' ? 'Active' : 'Suspended'}
              </span>
            ),
          },
          {
            header: <span class="visually-hidden">Details</span>,
            cell: ({ account }) => (
              <a href={`${scope.base}/${account.id}`} aria-label={`Show details of ${account.name}`}>
                Show details
              </a>
            ),
          },
        ]}
      />
      {hasPrevious || hasNext ? (
        <nav aria-label="Pagination" class="pagination">
          {hasPrevious ? (
            <a href={listHref(url, { after: undefined, before: undefined })}>First page</a>
          ) : null}
          {hasPrevious ? (
            <a href={listHref(url, { after: undefined, before: encodeKeyset(first) })}>Previous page</a>
          ) : null}
          {hasNext ? (
            <a href={listHref(url, { before: undefined, after: encodeKeyset(last) })}>Next page</a>
          ) : null}
        </nav>
      ) : null}
    </AdminShell>
  );
};

/** A user: status, site and product access (with the grant form), groups and the audit trail about them. */
export const UserDetailView: FC<{
  scope: Scope;
  currentPath: string;
  detail: UserDetail;
  href: string;
  maySiteAccess: boolean;
  maySuspend: boolean;
  mayProducts: boolean;
  mayAudit: boolean;
  products: {
    product: { id: string; name: string; seatLimit: number };
    siteName: string;
    seatsUsed: number;
  }[];
  events: AuditEventRow[];
  parties: EventParties;
  siteAccess: UserDetail['siteAccess'];
  twins: UserDetail['portalOnlyTwins'];
  done?: string;
  errors: FieldErrors;
}> = ({
  scope,
  currentPath,
  detail,
  href,
  maySiteAccess,
  maySuspend,
  mayProducts,
  mayAudit,
  products,
  events,
  parties,
  siteAccess,
  twins,
  done,
  errors,
}) => {
  const { page } = scope;
  const { account } = detail;
  return (
    <AdminShell {...shellProps(scope, currentPath, account.name)}>
      {done ? <Notice kind="ok">{done}</Notice> : null}
      {errors._form ? <Notice kind="error">{errors._form}</Notice> : null}
      {twins.map((twin) => (
        <Notice kind="warn">
          <strong>This user also has a portal-only customer profile</strong> on {twin.siteName} (
          {presentCustomerName(twin).displayName}). Migrate it to this account, or the account can’t view the
          requests they sent as a portal-only customer.{' '}
          <a
            href={siteHref(
              page.org.id,
              twin.siteName,
              `/jsm/customers/${encodeURIComponent(twin.customerId)}/migrate`,
            )}
          >
            Migrate to a Gatehouse account
          </a>
        </Notice>
      ))}
      <dl class="props">
        <dt>Email</dt>
        <dd>{account.email}</dd>
        <dt>Account status</dt>
        <dd>
          <span class="badge">{capitalize(account.status)}</span>{' '}
          {account.emailVerifiedAt ? null : <span class="badge badge-warn">Email not verified</span>}
        </dd>
        <dt>Organization access</dt>
        <dd data-testid="membership-status">
          {detail.membershipStatus === 'active' ? (
            <span class="badge badge-ok">Active</span>
          ) : (
            <span class="badge badge-danger">Suspended</span>
          )}
        </dd>
        <dt>Admin roles</dt>
        <dd>
          {detail.adminRoles.length
            ? detail.adminRoles.map((r) => r.role.replace('_', ' ')).join(', ')
            : 'None'}
        </dd>
      </dl>

      <h2 id="site-access">Site access</h2>
      {detail.userManagement === 'original' ? (
        <ul class="plain switches" aria-labelledby="site-access">
          {siteAccess.map((s) => (
            <li>
              {maySiteAccess ? (
                <form method="post" action={`${href}/site-access`} class="inline">
                  <CsrfField token={page.csrf} />
                  <input type="hidden" name="siteId" value={s.siteId} />
                  <input type="hidden" name="hasAccess" value={s.hasAccess ? 'off' : 'on'} />
                  {/* The article's "Turn on Has access on site": a switch; turning it off asks first. */}
                  <button
                    type="submit"
                    role="switch"
                    class="switch"
                    aria-checked={s.hasAccess ? 'true' : 'false'}
                  >
                    <span class="switch-track" aria-hidden="true" />
                    Has access on site {s.siteName}
                  </button>
                </form>
              ) : (
                <span>Has access on site {s.siteName}:</span>
              )}{' '}
              <span data-testid={`site-access-${s.siteName}`} class="muted">
                {s.hasAccess ? 'On' : 'Off'}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        // Centralized: site access is the organization access the article restores with "Restore access".
        <div class="access-state">
          {detail.membershipStatus === 'active' ? (
            <p>
              <span class="badge badge-ok">Has access</span> to every site of {page.org.name} where they hold
              a role. There is nothing to restore: <strong>Restore access</strong> appears here after a
              suspension.
            </p>
          ) : (
            <p>
              <span class="badge badge-danger">Suspended</span> No access to any site or product of{' '}
              {page.org.name}. Restore access to give it back with the same roles and groups.
            </p>
          )}
          {maySuspend ? (
            <form
              method="post"
              action={`${href}/${detail.membershipStatus === 'active' ? 'suspend' : 'restore'}`}
            >
              <CsrfField token={page.csrf} />
              {detail.membershipStatus === 'active' ? (
                <button type="submit">Suspend access…</button>
              ) : (
                <button type="submit" class="primary">
                  Restore access
                </button>
              )}
            </form>
          ) : null}
        </div>
      )}

      <h2>Product access</h2>
      {detail.productAccess.length === 0 ? <p>No product access.</p> : null}
      {detail.productAccess.length ? (
        <DataTable
          wrap={false}
          rows={detail.productAccess}
          columns={[
            { header: 'Product', cell: (p) => p.productName },
            { header: 'Role', cell: (p) => capitalize(p.role) },
            {
              header: 'Seats used',
              // The Customer role is free: it takes no seat, so a seat count would mislead.
              cell: (p) =>
                p.role === 'customer' ? (
                  <span class="muted">Free, no seat</span>
                ) : (
                  <>
                    {p.seatsUsed} of {p.seatLimit}
                  </>
                ),
            },
            {
              header: <span class="visually-hidden">Remove</span>,
              cell: (p) =>
                mayProducts ? (
                  <form method="post" action={`${href}/product-access/revoke`} class="inline">
                    <CsrfField token={page.csrf} />
                    <input type="hidden" name="productId" value={p.productId} />
                    <input type="hidden" name="role" value={p.role} />
                    <button
                      type="submit"
                      aria-label={`Remove the ${capitalize(p.role)} role on ${p.productName}`}
                    >
                      Remove
                    </button>
                  </form>
                ) : null,
            },
          ]}
        />
      ) : null}
      {mayProducts && products.length ? (
        <form method="post" action={`${href}/product-access`} class="filters">
          <CsrfField token={page.csrf} />
          <div class="field">
            <label for="grant-product">Product</label>
            <select id="grant-product" name="productId">
              {products.map((l) => (
                <option value={l.product.id}>
                  {`${l.product.name} on ${l.siteName} (${l.seatsUsed} of ${l.product.seatLimit} seats used)`}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="grant-role">Role</label>
            <select id="grant-role" name="role">
              <option value="user">User (uses a seat)</option>
              <option value="admin">Admin (uses a seat)</option>
              <option value="customer">Customer (free)</option>
            </select>
          </div>
          <button type="submit" class="primary">
            Grant access
          </button>
        </form>
      ) : null}

      <h2>Groups</h2>
      <p>{detail.groups.length ? detail.groups.map((g) => g.name).join(', ') : 'Not in any group.'}</p>

      {mayAudit ? (
        <section aria-labelledby="audit-trail">
          <h2 id="audit-trail">Audit trail</h2>
          {events.length === 0 ? (
            <p class="muted">No events about this user.</p>
          ) : (
            <AuditEventsTable
              page={page}
              events={events}
              parties={parties}
              caption={`Events about ${account.name}`}
            />
          )}
          <p>
            <a href={orgHref(page.org.id, `/audit?target=${encodeURIComponent(account.id)}`)}>
              Open the audit log
            </a>
          </p>
        </section>
      ) : null}
    </AdminShell>
  );
};

/** Badges and labels start with a capital, like every other label in the console. */
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
