import { Hono } from 'hono';
import { describeEventParties } from '#src/domain/audit/describe-event-parties.ts';
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
import { decodeKeyset, readSort } from '#src/web/ui/data-table.tsx';
import { type FieldErrors, formErrorsOf, readForm } from '#src/web/ui/forms.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { type AdminContext, loadOrgPage, loadSiteOfOrg } from './admin-context.ts';
import { orgHref, siteHref } from './admin-shell.tsx';
import { type Confirmation, ConfirmStep, isConfirmed } from './confirm.views.tsx';
import { GROUP_SORTS, GroupsView } from './groups.views.tsx';
import { LicencesView } from './licences.views.tsx';
import { type Scope, shellProps, USER_SORTS, UserDetailView, UsersListView } from './users.views.tsx';
import { confirmRemoveProduct, confirmSiteAccessOff, confirmSuspend } from './users-confirm.views.tsx';

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

const USERS_PER_PAGE = 50;

/** One page of the users list: sorted by name (default) or email, searched, counted, paged by keyset. */
async function listPage(c: AdminContext) {
  const scope = await loadScope(c);
  const q = (c.req.query('q') ?? '').trim().slice(0, 200);
  const sort = readSort((name) => c.req.query(name), USER_SORTS, 'name');
  const before = decodeKeyset(c.req.query('before'));
  const after = before ? undefined : decodeKeyset(c.req.query('after'));
  const { users, total, offset } = await listOrgUsers(
    useCaseContext(c, { orgId: scope.page.org.id, siteId: scope.site?.id }),
    {
      permission: 'users.view',
      limit: USERS_PER_PAGE,
      search: q || undefined,
      withTotal: true,
      order: { sort: sort.key, descending: sort.descending, after, before },
    },
  );
  return c.html(
    <UsersListView
      scope={scope}
      url={c.req.url}
      currentPath={c.req.path}
      shown={users}
      q={q}
      sort={sort}
      total={total ?? 0}
      offset={offset}
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
  // About this user: events targeting the account, and the migration of a portal-only customer to it.
  const events = mayAudit
    ? (
        await listOrgEvents(useCaseContext(c, { orgId: page.org.id }), {
          filter: { aboutId: account.id },
          limit: 20,
        })
      ).slice(0, 20)
    : [];
  const parties = events.length
    ? await describeEventParties(useCaseContext(c, { orgId: page.org.id }), events)
    : new Map();
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
      parties={parties}
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

/**
 * Runs an action; a refusal (seats, wrong experience…) shows on the user page, never as an error page.
 * An access-removing action passes `ask`: without the confirmation field the page asks first (after the same
 * permission check the action makes, so the question itself reveals nothing to someone who may not act).
 */
async function act(
  c: AdminContext,
  run: (scope: Scope, form: Awaited<ReturnType<typeof readForm>>) => Promise<string>,
  ask?: (
    scope: Scope,
    form: Awaited<ReturnType<typeof readForm>>,
    detail: UserDetail,
  ) => Promise<Confirmation | undefined>,
) {
  // Each action checks its own permission in its use case; the page needs the user view.
  const scope = await loadScope(c, 'users.view');
  const form = await readForm(c);
  try {
    if (ask && !isConfirmed(form)) {
      const detail = await getUserDetail(useCaseContext(c, { orgId: scope.page.org.id }), {
        accountId: c.req.param('accountId')!,
      });
      const question = await ask(scope, form, detail);
      if (question) {
        const href = `${scope.base}/${detail.account.id}`;
        return c.html(
          <ConfirmStep
            shell={shellProps(scope, c.req.path, question.title)}
            action={c.req.path}
            csrf={scope.page.csrf}
            fields={question.fields}
            explain={question.explain}
            button={question.button}
            cancelHref={href}
          />,
        );
      }
    }
    const done = await run(scope, form);
    return c.redirect(`${scope.base}/${c.req.param('accountId')}?done=${done}`, 303);
  } catch (error) {
    const errors = formErrorsOf(error);
    return detailPage(c, errors, 409);
  }
}

/** Grants or revokes one product role of the user, once the admin is shown to manage that product. */
function changeProductAccess(c: AdminContext, change: 'grant' | 'revoke') {
  const roleOf = (form: Awaited<ReturnType<typeof readForm>>): 'admin' | 'customer' | 'user' => {
    const role = form.get('role');
    return role === 'admin' || role === 'customer' ? role : 'user';
  };
  const authorize = (scope: Scope, productId: string) =>
    authorizeProductAccess(useCaseContext(c, { orgId: scope.page.org.id }), { productId });
  return act(
    c,
    async (scope, form) => {
      const productId = form.get('productId');
      await authorize(scope, productId);
      const access = { productId, accountId: c.req.param('accountId')!, role: roleOf(form) };
      if (change === 'grant')
        await grantProductAccess(c.get('services'), c.get('actor'), { orgId: scope.page.org.id, ...access });
      else await revokeProductAccess(useCaseContext(c, { orgId: scope.page.org.id }), access);
      return change;
    },
    change === 'grant'
      ? undefined
      : async (scope, form, detail) => {
          const productId = form.get('productId');
          await authorize(scope, productId);
          const role = roleOf(form);
          const held = detail.productAccess.find((p) => p.productId === productId && p.role === role);
          // Nothing to remove: acting changes nothing, so there is nothing to confirm either.
          if (!held) return undefined;
          return confirmRemoveProduct(detail, held, { productId, role });
        },
  );
}

for (const base of [DIRECTORY, SITE_USERS]) {
  usersRoutes.post(`${base}/:accountId/site-access`, (c) =>
    act(
      c,
      async (scope, form) => {
        const hasAccess = form.get('hasAccess') === 'on';
        await setSiteAccess(useCaseContext(c, { orgId: scope.page.org.id }), {
          siteId: form.get('siteId'),
          accountId: c.req.param('accountId'),
          hasAccess,
        });
        return hasAccess ? 'site-access-on' : 'site-access-off';
      },
      // Turning access on gives something back: no question. Turning it off asks first.
      async (scope, form, detail) => {
        if (form.get('hasAccess') === 'on') return undefined;
        const site = detail.siteAccess.find((s) => s.siteId === form.get('siteId'));
        if (!site?.hasAccess) return undefined;
        await assertCan(c.get('services').db, c.get('actor'), 'users.site_access', {
          orgId: scope.page.org.id,
          siteId: site.siteId,
        });
        return confirmSiteAccessOff(scope.page, detail, site);
      },
    ),
  );
  usersRoutes.post(`${base}/:accountId/suspend`, (c) =>
    act(
      c,
      async (scope) => {
        await suspendUser(useCaseContext(c, { orgId: scope.page.org.id }), {
          accountId: c.req.param('accountId'),
        });
        return 'suspend';
      },
      async (scope, _form, detail) => {
        if (detail.membershipStatus !== 'active') return undefined;
        await assertCan(c.get('services').db, c.get('actor'), 'users.suspend', { orgId: scope.page.org.id });
        return confirmSuspend(scope.page, detail);
      },
    ),
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

/** Groups the console reads at most (an org has tens; the page sorts and pages them in memory). */
const GROUPS_READ = 1000;
const GROUPS_PER_PAGE = 50;

/** Groups of the org (centralized: Directory → Groups; original: the site's Groups), sorted and paged. */
async function groupsPage(c: AdminContext) {
  const scope = await loadScope(c);
  const { groups } = await listOrgGroups(
    useCaseContext(c, { orgId: scope.page.org.id, siteId: scope.site?.id }),
    { permission: 'users.view', limit: GROUPS_READ },
  );
  const sort = readSort((name) => c.req.query(name), GROUP_SORTS, 'name');
  const sorted = [...groups].sort((a, b) => {
    const order =
      sort.key === 'members'
        ? a.members - b.members || a.group.name.localeCompare(b.group.name)
        : a.group.name.localeCompare(b.group.name);
    return sort.descending ? -order : order;
  });
  const pageParam = Number(c.req.query('page'));
  const pages = Math.max(1, Math.ceil(sorted.length / GROUPS_PER_PAGE));
  const pageNumber = Number.isSafeInteger(pageParam) && pageParam > 1 ? Math.min(pageParam, pages) : 1;
  const offset = (pageNumber - 1) * GROUPS_PER_PAGE;
  return c.html(
    <GroupsView
      scope={scope}
      currentPath={c.req.path}
      groups={sorted.slice(offset, offset + GROUPS_PER_PAGE)}
      sort={sort}
      offset={offset}
      total={sorted.length}
      pageNumber={pageNumber}
      pages={pages}
    />,
  );
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
