import { Hono } from 'hono';
import { z } from 'zod';
import { assertPasswordAcceptable } from '#src/domain/accounts/password-policy.ts';
import { deletePortalCustomer } from '#src/domain/customers/delete-portal-customer.ts';
import {
  countPortalCustomers,
  duplicateCustomerIds,
  getPortalCustomerForAdmin,
  listPortalCustomers,
} from '#src/domain/customers/get-portal-customer.ts';
import { grantPortalCustomer, revokePortalCustomer } from '#src/domain/customers/revoke-portal-customer.ts';
import { changeCustomerPassword, editCustomerName } from '#src/domain/customers/update-portal-customer.ts';
import { startMigration } from '#src/domain/migration/start-migration.ts';
import { can } from '#src/domain/policies/can.ts';
import type { AppEnv } from '#src/web/http.ts';
import { readSort } from '#src/web/ui/data-table.tsx';
import { type FieldErrors, formErrorsOf, readForm, validateForm } from '#src/web/ui/forms.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { type AdminContext, loadOrgPage, loadSiteOfOrg, type OrgPage } from './admin-context.ts';
import { customersHref, migrationTaskHref } from './admin-shell.tsx';
import { type ActionKey, CustomerActionView } from './customer-actions.views.tsx';
import {
  CUSTOMER_SORTS,
  CustomerDetailView,
  CustomersListView,
  NOTICES,
  PAGE_SIZES,
  type Row,
  STATUS_FILTERS,
  WARNINGS,
} from './customers.views.tsx';

export const customersRoutes = new Hono<AppEnv>();

const BASE = '/admin/o/:orgId/sites/:site/jsm/customers';

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
  const sort = readSort((name) => c.req.query(name), CUSTOMER_SORTS, 'name');
  const pageParam = Number(c.req.query('page'));
  const pageNumber = Number.isSafeInteger(pageParam) && pageParam > 1 ? Math.min(pageParam, 1_000_000) : 1;
  const ctx = useCaseContext(c, { orgId: page.org.id, siteId: site.id });
  const filter = { query: q || undefined, statuses: STATUS_FILTERS[statusKey]!.statuses };
  const [rows, total] = await Promise.all([
    listPortalCustomers(ctx, {
      ...filter,
      sort: sort.key,
      descending: sort.descending,
      offset: (pageNumber - 1) * limit,
      limit: limit + 1,
    }),
    countPortalCustomers(ctx, filter),
  ]);
  const hasMore = rows.length > limit;
  const shown = rows.slice(0, limit);
  const duplicates = await duplicateCustomerIds(ctx, shown);
  const target = { orgId: page.org.id, siteId: site.id };
  const [mayMigrate, mayRevoke, mayDelete, mayPassword, mayName] = await Promise.all([
    can(db, actor, 'customers.migrate', target),
    can(db, actor, 'customers.revoke', target),
    can(db, actor, 'customers.delete', target),
    can(db, actor, 'customers.change_password', target),
    can(db, actor, 'customers.edit_name', target),
  ]);
  return c.html(
    <CustomersListView
      page={page}
      siteName={site.name}
      currentPath={c.req.path}
      q={q}
      statusKey={statusKey}
      limit={limit}
      sort={sort}
      pageNumber={pageNumber}
      total={total}
      hasMore={hasMore}
      shown={shown}
      duplicates={duplicates}
      notice={NOTICES[c.req.query('done') ?? '']}
      warning={WARNINGS[c.req.query('warn') ?? '']}
      mayMigrate={mayMigrate}
      mayRevoke={mayRevoke}
      mayDelete={mayDelete}
      mayPassword={mayPassword}
      mayName={mayName}
    />,
  );
});

/** One customer: profile, status, and the duplicate note when an account shares the email. */
customersRoutes.get(`${BASE}/:customerId`, async (c) => {
  const { page, site } = await loadSite(c);
  const { customer, accountTwin, migratedTo } = await getPortalCustomerForAdmin(
    useCaseContext(c, { orgId: page.org.id, siteId: site.id }),
    { customerId: c.req.param('customerId') },
  );
  return c.html(
    <CustomerDetailView
      page={page}
      siteName={site.name}
      currentPath={c.req.path}
      customer={customer}
      accountTwin={accountTwin}
      migratedTo={migratedTo}
    />,
  );
});

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
    <CustomerActionView
      page={page}
      siteName={siteName}
      currentPath={c.req.path}
      action={action}
      customer={customer}
      values={values}
      errors={errors}
    />,
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
  const { customer } = await getPortalCustomerForAdmin(
    useCaseContext(c, { orgId: page.org.id, siteId: site.id }),
    {
      customerId: c.req.param('customerId')!,
    },
  );
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
  const ctx = useCaseContext(c, { orgId: page.org.id, siteId: site.id });
  // An old tab or a second click on a migrated customer: say it is done (and link the account), start nothing.
  if (customer.status === 'migrated' || customer.status === 'migrating')
    return c.html(
      <CustomerActionView
        page={page}
        siteName={site.name}
        currentPath={c.req.path}
        action={action}
        customer={customer}
      />,
      409,
    );
  const target = { customerId: customer.id };
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
        await changeCustomerPassword(ctx, { ...target, password });
        break;
      }
      case 'name': {
        const v = validateForm(ZName, { displayName: form.get('displayName') });
        if (!v.ok) return refuse(v.errors);
        await editCustomerName(ctx, { ...target, displayName: v.data.displayName });
        break;
      }
      case 'migrate': {
        const { task } = await startMigration(ctx, {
          customerIds: [customer.id],
          includeRevoked: customer.status === 'revoked',
        });
        return c.redirect(migrationTaskHref(page.org.id, site.name, task.id), 303);
      }
      case 'revoke':
        await revokePortalCustomer(ctx, target);
        break;
      case 'grant':
        await grantPortalCustomer(ctx, target);
        break;
      case 'delete':
        await deletePortalCustomer(ctx, target);
        break;
    }
  } catch (error) {
    return refuse(formErrorsOf(error));
  }
  return c.redirect(`${list}?done=${action}`, 303);
});
