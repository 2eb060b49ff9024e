import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import type { listDuplicateCandidatesOfSite } from '#src/domain/migration/lookup-customer-migration.ts';
import type { planMigration } from '#src/domain/migration/plan-migration.ts';
import { DataTable, sortingAt } from '#src/web/ui/data-table.tsx';
import { CsrfField } from '#src/web/ui/fields.tsx';
import { Notice } from '#src/web/ui/layout.tsx';
import type { OrgPage } from './admin-context.ts';
import { AdminShell, customersHref, orgHref, siteHref } from './admin-shell.tsx';

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

/** The columns the duplicate candidates sort by. */
export const DUPLICATE_SORTS = ['name', 'email'] as const;

type Duplicate = Awaited<ReturnType<typeof listDuplicateCandidatesOfSite>>[number];

/** Live customers whose email also has an account: the ones the seed says to migrate; sorted and counted. */
export const DuplicatesView: FC<{
  page: OrgPage;
  siteName: string;
  list: string;
  url: string;
  sort: { key: (typeof DUPLICATE_SORTS)[number]; descending: boolean };
  rows: Duplicate[];
}> = ({ page, siteName, list, url, sort, rows }) => (
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
    <p class="muted list-count" data-testid="duplicates-count">
      {rows.length === 0
        ? 'No duplicates.'
        : `${rows.length.toLocaleString('en')} customer${rows.length === 1 ? '' : 's'} with an account`}
    </p>
    {rows.length === 0 ? null : (
      <form method="post" action={`${list}/migrate/preview`}>
        <CsrfField token={page.csrf} />
        <DataTable
          caption="Duplicate candidates"
          rows={rows}
          sorting={sortingAt(url, sort)}
          columns={[
            {
              header: 'Select',
              cell: ({ customer }: Duplicate) => (
                <input
                  type="checkbox"
                  name="customerId"
                  value={customer.id}
                  aria-label={`Select ${customer.displayName}`}
                />
              ),
            },
            {
              header: 'Customer',
              sort: 'name',
              cell: ({ customer }: Duplicate) => (
                <a href={`${list}/${encodeURIComponent(customer.id)}`}>{customer.displayName}</a>
              ),
            },
            { header: 'Email', sort: 'email', cell: ({ customer }: Duplicate) => customer.email },
            {
              header: 'Account',
              cell: ({ account }: Duplicate) => (
                <>
                  {account.name}{' '}
                  {account.emailVerifiedAt ? '' : <span class="badge badge-warn">Unverified</span>}
                </>
              ),
            },
          ]}
        />
        <button type="submit" class="primary">
          Migrate selected…
        </button>
      </form>
    )}
  </AdminShell>
);
