import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { z } from 'zod';
import type { PortalCustomerRow } from '#src/db/queries/customers/portal-customers.queries.ts';
import type { CustomerStatus } from '#src/db/schema/index.ts';
import { assertPasswordAcceptable } from '#src/domain/accounts/password-policy.ts';
import { presentCustomerName } from '#src/domain/customers/customer-display.ts';
import { deletePortalCustomer } from '#src/domain/customers/delete-portal-customer.ts';
import { getPortalCustomerForAdmin, listPortalCustomers } from '#src/domain/customers/get-portal-customer.ts';
import { grantPortalCustomer, revokePortalCustomer } from '#src/domain/customers/revoke-portal-customer.ts';
import { changeCustomerPassword, editCustomerName } from '#src/domain/customers/update-portal-customer.ts';
import { startMigration } from '#src/domain/migration/start-migration.ts';
import { can } from '#src/domain/policies/can.ts';
import type { AppEnv } from '#src/web/http.ts';
import { CsrfField, Field, NewPasswordField } from '#src/web/ui/fields.tsx';
import { type FieldErrors, formErrorsOf, readForm, validateForm } from '#src/web/ui/forms.ts';
import { Notice } from '#src/web/ui/layout.tsx';
import { type AdminContext, loadOrgPage, loadSiteOfOrg, type OrgPage } from './admin-context.ts';
import { AdminShell, customersHref, migrationTaskHref, orgHref, siteHref } from './admin-shell.tsx';

export const customersRoutes = new Hono<AppEnv>();

const BASE = '/admin/o/:orgId/sites/:site/jsm/customers';
const PAGE_SIZES = [25, 50, 100, 500, 1000] as const;

const STATUS_FILTERS: Record<string, { label: string; statuses?: CustomerStatus[] }> = {
  all: { label: 'All (not deleted)' },
  active: { label: 'Active', statuses: ['active'] },
  revoked: { label: 'Access revoked', statuses: ['revoked'] },
  migrated: { label: 'Migrated (Inactive)', statuses: ['migrating', 'migrated'] },
  deleted: { label: 'Deleted', statuses: ['deleted'] },
};

const NOTICES: Record<string, string> = {
  password: 'The password was changed. The customer’s sessions have ended.',
  name: 'The full name was changed.',
  revoke: 'Portal access was revoked. The customer shows as Deactivated and cannot log in.',
  grant: 'Portal access was granted again.',
  delete: 'The customer was deleted. Their requests now show “Former user (Deactivated)”.',
};

type Row = PortalCustomerRow;

function statusBadge(customer: Pick<Row, 'status' | 'displayName'>) {
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
function customerCrumbs(page: OrgPage, siteName: string, last?: string) {
  const list = customersHref(page.org.id, siteName);
  const label = page.org.userManagement === 'centralized' ? 'Portal customers' : 'Portal-only customers';
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

async function loadSite(c: AdminContext) {
  const page = await loadOrgPage(c, c.req.param('orgId')!);
  const site = await loadSiteOfOrg(c, page, c.req.param('site')!, 'customers.view');
  return { page, site };
}

customersRoutes.get(BASE, async (c) => {
  const { page, site } = await loadSite(c);
  const { db } = c.get('services');
  const actor = c.get('actor');
  const q = (c.req.query('q') ?? '').trim().slice(0, 200);
  const statusKey = STATUS_FILTERS[c.req.query('status') ?? ''] ? c.req.query('status')! : 'all';
  const limitParam = Number(c.req.query('limit'));
  const limit = (PAGE_SIZES as readonly number[]).includes(limitParam) ? limitParam : 50;
  const after = c.req.query('after') || undefined;
  const rows = await listPortalCustomers(
    db,
    actor,
    { orgId: page.org.id, siteId: site.id },
    {
      query: q || undefined,
      statuses: STATUS_FILTERS[statusKey]!.statuses,
      afterId: after,
      limit: limit + 1,
    },
  );
  const hasMore = rows.length > limit;
  const shown = rows.slice(0, limit);
  const target = { orgId: page.org.id, siteId: site.id };
  const [mayMigrate, mayRevoke, mayDelete, mayPassword, mayName] = await Promise.all([
    can(db, actor, 'customers.migrate', target),
    can(db, actor, 'customers.revoke', target),
    can(db, actor, 'customers.delete', target),
    can(db, actor, 'customers.change_password', target),
    can(db, actor, 'customers.edit_name', target),
  ]);
  const list = customersHref(page.org.id, site.name);
  const query = (extra: Record<string, string>) =>
    `?${new URLSearchParams({ ...(q ? { q } : {}), status: statusKey, limit: String(limit), ...extra })}`;
  const notice = NOTICES[c.req.query('done') ?? ''];
  return c.html(
    <AdminShell
      page={page}
      title="Portal-only customers"
      section="products"
      site={site.name}
      currentPath={c.req.path}
      crumbs={customerCrumbs(page, site.name)}
    >
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
      <p class="muted">
        Customers who log in only to the {site.name} help center. Migrate one to an Atlassian account to give
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
        {shown.length === 0 ? (
          <p>No customers match.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Portal-only customers of {site.name}</caption>
              <thead>
                <tr>
                  {mayMigrate ? (
                    <th scope="col">
                      <input
                        type="checkbox"
                        id="select-all"
                        aria-label="Select every customer on this page"
                        onclick="document.querySelectorAll('input[name=customerId]').forEach(function(b){b.checked=this.checked}.bind(this))"
                      />
                    </th>
                  ) : null}
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((customer) => {
                  const display = presentCustomerName(customer);
                  const href = `${list}/${encodeURIComponent(customer.id)}`;
                  const changeable = customer.status === 'active' || customer.status === 'revoked';
                  return (
                    <tr>
                      {mayMigrate ? (
                        <td>
                          {changeable ? (
                            <input
                              type="checkbox"
                              name="customerId"
                              value={customer.id}
                              aria-label={`Select ${display.displayName}`}
                            />
                          ) : null}
                        </td>
                      ) : null}
                      <td>
                        <a href={href}>{display.displayName}</a>
                      </td>
                      <td>{display.showEmail ? customer.email : '—'}</td>
                      <td>{statusBadge(customer)}</td>
                      <td>
                        {changeable ? (
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
                                  <a href={`${href}/migrate`}>Migrate to Atlassian account</a>
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
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <div class="actions">
          {mayMigrate && shown.length > 0 ? (
            <button type="submit" class="primary">
              Migrate selected…
            </button>
          ) : null}
          <nav aria-label="Pagination" class="pagination">
            {after ? <a href={`${list}${query({})}`}>First page</a> : null}
            {hasMore ? <a href={`${list}${query({ after: shown.at(-1)!.id })}`}>Next page</a> : null}
          </nav>
        </div>
      </form>
    </AdminShell>,
  );
});

/** One customer: profile, status, and the duplicate note when an account shares the email. */
customersRoutes.get(`${BASE}/:customerId`, async (c) => {
  const { page, site } = await loadSite(c);
  const { db } = c.get('services');
  const { customer, accountTwin } = await getPortalCustomerForAdmin(db, c.get('actor'), {
    orgId: page.org.id,
    siteId: site.id,
    customerId: c.req.param('customerId'),
  });
  const display = presentCustomerName(customer);
  const href = siteHref(page.org.id, site.name, `/jsm/customers/${encodeURIComponent(customer.id)}`);
  return c.html(
    <AdminShell
      page={page}
      title={display.displayName}
      section="products"
      site={site.name}
      currentPath={c.req.path}
      crumbs={customerCrumbs(page, site.name, display.displayName)}
    >
      {accountTwin ? (
        <Notice kind="warn">
          <strong>This customer also has an Atlassian account</strong> ({accountTwin.email}
          {accountTwin.verified ? '' : ', email not verified'}). Migrate them to it, or they can’t view the
          requests they sent as a portal-only customer.{' '}
          <a href={`${href}/migrate`}>Migrate to Atlassian account</a>
        </Notice>
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
            <dd>
              <code>{customer.migratedToAccountId}</code>
            </dd>
          </>
        ) : null}
      </dl>
    </AdminShell>,
  );
});

type ActionKey = 'password' | 'name' | 'migrate' | 'revoke' | 'grant' | 'delete';

interface ActionSpec {
  title: string;
  button: string;
  danger?: boolean;
  explain: (customer: Row, siteName: string) => unknown;
}

/** What each confirmation says will happen, exactly. */
const ACTIONS: Record<ActionKey, ActionSpec> = {
  password: {
    title: 'Change password',
    button: 'Change password',
    explain: (c) => (
      <p>
        Sets a new password for <strong>{c.email}</strong>. Every session the customer has open ends at once.
      </p>
    ),
  },
  name: {
    title: 'Edit full name',
    button: 'Save name',
    explain: () => <p>The new name shows on every service project of this site.</p>,
  },
  migrate: {
    title: 'Migrate to Atlassian account',
    button: 'Migrate',
    danger: true,
    explain: (c, siteName) => (
      <>
        <p>
          You are migrating <strong>{c.displayName}</strong> ({c.email}) to an Atlassian account. When you
          migrate a customer, we:
        </p>
        <ul>
          <li>deactivate their portal-only profile (it then shows as Inactive);</li>
          <li>migrate important data, such as their requests, to the Atlassian account;</li>
          <li>assign a new user key to the Atlassian account;</li>
          <li>assign the ‘Customer’ product role;</li>
          <li>
            add them to the <code>jira-servicemanagement-customers-{siteName}</code> group, with no default
            product access.
          </li>
        </ul>
        <p>
          If an account with this email exists, the customer is linked to it; otherwise a new account is
          created and they get an email to verify their address and set a password. They must then log in with
          their Atlassian account credentials.
        </p>
        <p>
          <strong>This can’t be undone.</strong> It usually takes a few seconds, and can take up to about a
          minute.
        </p>
      </>
    ),
  },
  revoke: {
    title: 'Revoke access',
    button: 'Revoke access',
    danger: true,
    explain: (c) => (
      <p>
        <strong>{c.displayName}</strong> can no longer log in to the portal and shows as “{c.displayName}{' '}
        (Deactivated)”. Their open sessions end. Their requests stay, and you can grant access again later.
      </p>
    ),
  },
  grant: {
    title: 'Grant access',
    button: 'Grant access',
    explain: (c) => (
      <p>
        <strong>{c.displayName}</strong> can log in to the portal again, with every request and reference
        kept.
      </p>
    ),
  },
  delete: {
    title: 'Delete customer',
    button: 'Delete',
    danger: true,
    explain: (c) => (
      <p>
        Deletes <strong>{c.displayName}</strong> ({c.email}). Their email, name and password are erased, their
        sessions end, and everywhere they appear shows “Former user (Deactivated)”. Their requests and
        comments stay. <strong>This can’t be undone.</strong>
      </p>
    ),
  },
};

const ActionForm: FC<{
  page: OrgPage;
  action: ActionKey;
  customer: Row;
  siteName: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
}> = ({ page, action, customer, siteName, values = {}, errors = {} }) => {
  const spec = ACTIONS[action];
  const list = customersHref(page.org.id, siteName);
  return (
    <form method="post" class="stack card" action={`${list}/${encodeURIComponent(customer.id)}/${action}`}>
      <CsrfField token={page.csrf} />
      {errors._form ? <Notice kind="error">{errors._form}</Notice> : null}
      {spec.explain(customer, siteName)}
      {action === 'password' ? <NewPasswordField label="New password" error={errors.password} /> : null}
      {action === 'name' ? (
        <Field
          name="displayName"
          label="Full name"
          value={values.displayName ?? customer.displayName}
          required
          error={errors.displayName}
        />
      ) : null}
      <div class="actions">
        <button type="submit" class={spec.danger ? 'danger' : 'primary'}>
          {spec.button}
        </button>
        <a href={list} class="button">
          Cancel
        </a>
      </div>
    </form>
  );
};

function renderAction(
  c: AdminContext,
  page: OrgPage,
  siteName: string,
  action: ActionKey,
  customer: Row,
  values?: Record<string, string>,
  errors?: FieldErrors,
) {
  return c.html(
    <AdminShell
      page={page}
      title={ACTIONS[action].title}
      section="products"
      site={siteName}
      currentPath={c.req.path}
      crumbs={customerCrumbs(page, siteName, presentCustomerName(customer).displayName)}
    >
      <ActionForm
        page={page}
        action={action}
        customer={customer}
        siteName={siteName}
        values={values}
        errors={errors}
      />
    </AdminShell>,
    errors ? 400 : 200,
  );
}

const ZAction = z.enum(['password', 'name', 'migrate', 'revoke', 'grant', 'delete']);
const ZName = z.object({
  displayName: z.string().trim().min(1, 'Enter a name.').max(255, 'Use at most 255 characters.'),
});

async function loadAction(c: AdminContext) {
  const parsed = ZAction.safeParse(c.req.param('action'));
  if (!parsed.success) return c.notFound();
  const { page, site } = await loadSite(c);
  const { customer } = await getPortalCustomerForAdmin(c.get('services').db, c.get('actor'), {
    orgId: page.org.id,
    siteId: site.id,
    customerId: c.req.param('customerId')!,
  });
  return { action: parsed.data, page, site, customer };
}

customersRoutes.get(`${BASE}/:customerId/:action`, async (c) => {
  const loaded = await loadAction(c);
  if (loaded instanceof Response) return loaded;
  const { action, page, site, customer } = loaded;
  return renderAction(c, page, site.name, action, customer);
});

customersRoutes.post(`${BASE}/:customerId/:action`, async (c) => {
  const loaded = await loadAction(c);
  if (loaded instanceof Response) return loaded;
  const { action, page, site, customer } = loaded;
  const services = c.get('services');
  const actor = c.get('actor');
  const target = { orgId: page.org.id, siteId: site.id, customerId: customer.id };
  const form = await readForm(c);
  const list = customersHref(page.org.id, site.name);
  /** The form again, with what was typed and why it was refused. */
  const refuse = (errors: FieldErrors) =>
    renderAction(c, page, site.name, action, customer, { displayName: form.get('displayName') }, errors);
  try {
    switch (action) {
      case 'password': {
        const password = form.get('password');
        assertPasswordAcceptable(password, { email: customer.email });
        await changeCustomerPassword(services, actor, { ...target, password });
        break;
      }
      case 'name': {
        const v = validateForm(ZName, { displayName: form.get('displayName') });
        if (!v.ok) return refuse(v.errors);
        await editCustomerName(services, actor, { ...target, displayName: v.data.displayName });
        break;
      }
      case 'migrate': {
        const { task } = await startMigration(services, actor, {
          orgId: page.org.id,
          siteId: site.id,
          customerIds: [customer.id],
          includeRevoked: customer.status === 'revoked',
        });
        return c.redirect(migrationTaskHref(page.org.id, site.name, task.id), 303);
      }
      case 'revoke':
        await revokePortalCustomer(services, actor, target);
        break;
      case 'grant':
        await grantPortalCustomer(services, actor, target);
        break;
      case 'delete':
        await deletePortalCustomer(services, actor, target);
        break;
    }
  } catch (error) {
    return refuse(formErrorsOf(error));
  }
  return c.redirect(`${list}?done=${action}`, 303);
});
