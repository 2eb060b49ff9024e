import { Hono } from 'hono';
import { listOrgEvents } from '#src/domain/audit/list-org-events.ts';
import { grantProductAccess } from '#src/domain/directory/grant-product-access.ts';
import { listOrgGroups } from '#src/domain/directory/list-groups.ts';
import { listOrgUsers } from '#src/domain/directory/list-org-users.ts';
import { authorizeProductAccess, revokeProductAccess } from '#src/domain/directory/revoke-product-access.ts';
import { setSiteAccess } from '#src/domain/directory/site-access.ts';
import { restoreUser, suspendUser } from '#src/domain/directory/suspend-user.ts';
import { getUserDetail, listLicences, type UserDetail } from '#src/domain/directory/user-detail.ts';
import { assertCan, can } from '#src/domain/policies/can.ts';
import type { AppEnv } from '#src/web/http.ts';
import { type FieldErrors, formErrorsOf, readForm } from '#src/web/ui/forms.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { type AdminContext, loadOrgPage, loadSiteOfOrg } from './admin-context.ts';
import { orgHref, siteHref } from './admin-shell.tsx';
import { GroupsView, LicencesView, type Scope, UserDetailView, UsersListView } from './users.views.tsx';

/**
 * Users: the list and the user detail page. Centralized: Directory → Users; original: Products → the site →
 * Users (per site, with the "Has access on site" toggle). Every action calls the directory domain.
 */
export const usersRoutes = new Hono<AppEnv>();

const DIRECTORY = '/admin/o/:orgId/directory/users';
const SITE_USERS = '/admin/o/:orgId/sites/:site/users';

/**
 * The page's org (and site, on a site's pages). `action` is what the org-level page needs: the whole user and
 * group lists are `org.directory.view` (like `GET /admin/v1/orgs/{orgId}/users`), one user is `users.view`
 * (like `GET /admin/v1/orgs/{orgId}/directory/users/{accountId}`), so console and API agree.
 */
async function loadScope(
  c: AdminContext,
  action: 'org.directory.view' | 'users.view' = 'org.directory.view',
): Promise<Scope> {
  const page = await loadOrgPage(c, c.req.param('orgId')!);
  const siteName = c.req.param('site');
  if (siteName) {
    const site = await loadSiteOfOrg(c, page, siteName, 'users.view');
    return { page, site, base: siteHref(page.org.id, site.name, '/users') };
  }
  await assertCan(c.get('services').db, c.get('actor'), action, { orgId: page.org.id });
  return { page, base: orgHref(page.org.id, '/directory/users') };
}

async function listPage(c: AdminContext) {
  const scope = await loadScope(c);
  const after = c.req.query('after') || undefined;
  const q = (c.req.query('q') ?? '').trim().slice(0, 200);
  const { users: rows, total } = await listOrgUsers(
    useCaseContext(c, { orgId: scope.page.org.id, siteId: scope.site?.id }),
    { permission: 'users.view', afterAccountId: after, limit: 51, search: q || undefined, withTotal: true },
  );
  const shown = rows.slice(0, 50);
  return c.html(
    <UsersListView
      scope={scope}
      currentPath={c.req.path}
      shown={shown}
      hasMore={rows.length > 50}
      q={q}
      total={total ?? 0}
    />,
  );
}

usersRoutes.get(DIRECTORY, listPage);
usersRoutes.get(SITE_USERS, listPage);

const ACTIONS_LABEL: Record<string, string> = {
  'site-access-on': 'Site access turned on.',
  'site-access-off': 'Site access turned off.',
  suspend: 'Access suspended.',
  restore: 'Access restored.',
  grant: 'Product access granted.',
  revoke: 'Product access removed.',
};

async function detailPage(c: AdminContext, errors: FieldErrors = {}, status: 200 | 400 | 409 = 200) {
  const scope = await loadScope(c, 'users.view');
  const { page, site } = scope;
  const services = c.get('services');
  const actor = c.get('actor');
  const accountId = c.req.param('accountId')!;
  const detail: UserDetail = await getUserDetail(useCaseContext(c, { orgId: page.org.id }), { accountId });
  const { account } = detail;
  const href = `${scope.base}/${account.id}`;
  const target = { orgId: page.org.id, siteId: site?.id };
  const [maySiteAccess, maySuspend, mayProducts, mayAudit] = await Promise.all([
    can(services.db, actor, 'users.site_access', target),
    can(services.db, actor, 'users.suspend', target),
    can(services.db, actor, 'users.product_access', target),
    can(services.db, actor, 'org.audit.view', target),
  ]);
  const licences = mayProducts ? await listLicences(useCaseContext(c, { orgId: page.org.id })) : [];
  const products = licences.filter((l) => !site || l.product.siteId === site.id);
  const events = mayAudit
    ? await listOrgEvents(useCaseContext(c, { orgId: page.org.id }), {
        filter: { targetId: account.id },
        limit: 20,
      })
    : [];
  const siteAccess = detail.siteAccess.filter((s) => !site || s.siteId === site.id);
  const twins = detail.portalOnlyTwins.filter((t) => !site || t.siteId === site.id);
  const done = ACTIONS_LABEL[c.req.query('done') ?? ''];
  return c.html(
    <UserDetailView
      scope={scope}
      currentPath={c.req.path}
      detail={detail}
      href={href}
      maySiteAccess={maySiteAccess}
      maySuspend={maySuspend}
      mayProducts={mayProducts}
      mayAudit={mayAudit}
      products={products}
      events={events}
      siteAccess={siteAccess}
      twins={twins}
      done={done}
      errors={errors}
    />,
    status,
  );
}

usersRoutes.get(`${DIRECTORY}/:accountId`, (c) => detailPage(c));
usersRoutes.get(`${SITE_USERS}/:accountId`, (c) => detailPage(c));

/** Runs an action; a refusal (seats, wrong experience…) shows on the user page, never as an error page. */
async function act(
  c: AdminContext,
  run: (scope: Scope, form: Awaited<ReturnType<typeof readForm>>) => Promise<string>,
) {
  // Each action checks its own permission in its use case; the page needs the user view.
  const scope = await loadScope(c, 'users.view');
  const form = await readForm(c);
  try {
    const done = await run(scope, form);
    return c.redirect(`${scope.base}/${c.req.param('accountId')}?done=${done}`, 303);
  } catch (error) {
    const errors = formErrorsOf(error);
    return detailPage(c, errors, 409);
  }
}

/** Grants or revokes one product role of the user, once the admin is shown to manage that product. */
function changeProductAccess(c: AdminContext, change: 'grant' | 'revoke') {
  return act(c, async (scope, form) => {
    const role = form.get('role');
    const productId = form.get('productId');
    const ctx = useCaseContext(c, { orgId: scope.page.org.id });
    await authorizeProductAccess(ctx, { productId });
    const access = {
      productId,
      accountId: c.req.param('accountId')!,
      role: role === 'admin' || role === 'customer' ? role : 'user',
    } as const;
    if (change === 'grant')
      await grantProductAccess(c.get('services'), c.get('actor'), { orgId: scope.page.org.id, ...access });
    else await revokeProductAccess(ctx, access);
    return change;
  });
}

for (const base of [DIRECTORY, SITE_USERS]) {
  usersRoutes.post(`${base}/:accountId/site-access`, (c) =>
    act(c, async (scope, form) => {
      const hasAccess = form.get('hasAccess') === 'on';
      await setSiteAccess(useCaseContext(c, { orgId: scope.page.org.id }), {
        siteId: form.get('siteId'),
        accountId: c.req.param('accountId'),
        hasAccess,
      });
      return hasAccess ? 'site-access-on' : 'site-access-off';
    }),
  );
  usersRoutes.post(`${base}/:accountId/suspend`, (c) =>
    act(c, async (scope) => {
      await suspendUser(useCaseContext(c, { orgId: scope.page.org.id }), {
        accountId: c.req.param('accountId'),
      });
      return 'suspend';
    }),
  );
  usersRoutes.post(`${base}/:accountId/restore`, (c) =>
    act(c, async (scope) => {
      await restoreUser(useCaseContext(c, { orgId: scope.page.org.id }), {
        accountId: c.req.param('accountId'),
      });
      return 'restore';
    }),
  );
  usersRoutes.post(`${base}/:accountId/product-access`, (c) => changeProductAccess(c, 'grant'));
  usersRoutes.post(`${base}/:accountId/product-access/revoke`, (c) => changeProductAccess(c, 'revoke'));
}

/** Groups of the org (centralized: Directory → Groups; original: the site's Groups). */
async function groupsPage(c: AdminContext) {
  const scope = await loadScope(c);
  const { groups } = await listOrgGroups(
    useCaseContext(c, { orgId: scope.page.org.id, siteId: scope.site?.id }),
    { permission: 'users.view', limit: 500 },
  );
  return c.html(<GroupsView scope={scope} currentPath={c.req.path} groups={groups} />);
}
usersRoutes.get('/admin/o/:orgId/directory/groups', groupsPage);
usersRoutes.get('/admin/o/:orgId/sites/:site/groups', groupsPage);

/** Licences and seats of the site's products. */
usersRoutes.get('/admin/o/:orgId/sites/:site/licences', async (c) => {
  const page = await loadOrgPage(c, c.req.param('orgId'));
  const site = await loadSiteOfOrg(c, page, c.req.param('site'), 'org.view');
  const licences = (await listLicences(useCaseContext(c, { orgId: page.org.id }))).filter(
    (l) => l.product.siteId === site.id,
  );
  return c.html(<LicencesView page={page} site={site} currentPath={c.req.path} licences={licences} />);
});
