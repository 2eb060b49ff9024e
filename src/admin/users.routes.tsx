import { Hono } from 'hono';
import { listOrgMembers } from '#src/db/queries/directory/accounts.queries.ts';
import { listGroups } from '#src/db/queries/directory/groups.queries.ts';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { listOrgEvents } from '#src/domain/audit/list-org-events.ts';
import { presentCustomerName } from '#src/domain/customers/customer-display.ts';
import { grantProductAccess } from '#src/domain/directory/grant-product-access.ts';
import { authorizeProductAccess, revokeProductAccess } from '#src/domain/directory/revoke-product-access.ts';
import { setSiteAccess } from '#src/domain/directory/site-access.ts';
import { restoreUser, suspendUser } from '#src/domain/directory/suspend-user.ts';
import { getUserDetail, listLicences, type UserDetail } from '#src/domain/directory/user-detail.ts';
import { assertCan, can } from '#src/domain/policies/can.ts';
import type { AppEnv } from '#src/web/http.ts';
import { CsrfField } from '#src/web/ui/fields.tsx';
import { type FieldErrors, formErrorsOf, readForm } from '#src/web/ui/forms.ts';
import { Notice } from '#src/web/ui/layout.tsx';
import { type AdminContext, loadOrgPage, loadSiteOfOrg, type OrgPage } from './admin-context.ts';
import { AdminShell, orgHref, siteHref } from './admin-shell.tsx';

/**
 * Users: the list and the user detail page. Centralized: Directory → Users; original: Products → the site →
 * Users (per site, with the "Has access on site" toggle). Every action calls the directory domain.
 */
export const usersRoutes = new Hono<AppEnv>();

const DIRECTORY = '/admin/o/:orgId/directory/users';
const SITE_USERS = '/admin/o/:orgId/sites/:site/users';

interface Scope {
  page: OrgPage;
  /** Original experience: the site whose Users page this is. */
  site?: SiteRow;
  base: string;
}

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

function shellProps(scope: Scope, c: AdminContext, title: string) {
  const { page, site } = scope;
  return {
    page,
    title,
    section: site ? ('products' as const) : ('directory' as const),
    site: site?.name,
    currentPath: c.req.path,
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

async function listPage(c: AdminContext) {
  const scope = await loadScope(c);
  const after = c.req.query('after') || undefined;
  const rows = await listOrgMembers(c.get('services').db, scope.page.org.id, after, 51);
  const shown = rows.slice(0, 50);
  return c.html(
    <AdminShell {...shellProps(scope, c, 'Users')}>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map(({ account, membershipStatus }) => (
              <tr>
                <td>{account.name}</td>
                <td>{account.email}</td>
                <td>
                  <span class={`badge ${membershipStatus === 'active' ? 'badge-ok' : 'badge-danger'}`}>
                    {membershipStatus === 'active' ? 'Active' : 'Suspended'}
                  </span>
                </td>
                <td>
                  <a href={`${scope.base}/${account.id}`} aria-label={`Show details of ${account.name}`}>
                    Show details
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > 50 ? <a href={`?after=${shown.at(-1)!.account.id}`}>Next page</a> : null}
    </AdminShell>,
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
  const detail: UserDetail = await getUserDetail(services.db, actor, { orgId: page.org.id, accountId });
  const { account } = detail;
  const href = `${scope.base}/${account.id}`;
  const target = { orgId: page.org.id, siteId: site?.id };
  const [maySiteAccess, maySuspend, mayProducts, mayAudit] = await Promise.all([
    can(services.db, actor, 'users.site_access', target),
    can(services.db, actor, 'users.suspend', target),
    can(services.db, actor, 'users.product_access', target),
    can(services.db, actor, 'org.audit.view', target),
  ]);
  const licences = mayProducts ? await listLicences(services.db, actor, page.org.id) : [];
  const products = licences.filter((l) => !site || l.product.siteId === site.id);
  const events = mayAudit
    ? await listOrgEvents(services, actor, {
        orgId: page.org.id,
        filter: { targetId: account.id },
        limit: 20,
      })
    : [];
  const siteAccess = detail.siteAccess.filter((s) => !site || s.siteId === site.id);
  const twins = detail.portalOnlyTwins.filter((t) => !site || t.siteId === site.id);
  const done = ACTIONS_LABEL[c.req.query('done') ?? ''];
  return c.html(
    <AdminShell {...shellProps(scope, c, account.name)}>
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
            Migrate to Atlassian account
          </a>
        </Notice>
      ))}
      <dl class="props">
        <dt>Email</dt>
        <dd>{account.email}</dd>
        <dt>Account status</dt>
        <dd>
          <span class="badge">{account.status}</span>{' '}
          {account.emailVerifiedAt ? null : <span class="badge badge-warn">email not verified</span>}
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

      <h2>Site access</h2>
      {detail.userManagement === 'original' ? (
        <ul class="plain">
          {siteAccess.map((s) => (
            <li>
              <form method="post" action={`${href}/site-access`} class="inline">
                <CsrfField token={page.csrf} />
                <input type="hidden" name="siteId" value={s.siteId} />
                <input type="hidden" name="hasAccess" value={s.hasAccess ? 'off' : 'on'} />
                <span>
                  Has access on site <strong>{s.siteName}</strong>:{' '}
                  <span data-testid={`site-access-${s.siteName}`}>{s.hasAccess ? 'On' : 'Off'}</span>
                </span>{' '}
                {maySiteAccess ? (
                  <button type="submit" role="switch" aria-checked={s.hasAccess ? 'true' : 'false'}>
                    {s.hasAccess ? `Turn off access on ${s.siteName}` : `Turn on access on ${s.siteName}`}
                  </button>
                ) : null}
              </form>
            </li>
          ))}
        </ul>
      ) : maySuspend ? (
        <form
          method="post"
          action={`${href}/${detail.membershipStatus === 'active' ? 'suspend' : 'restore'}`}
        >
          <CsrfField token={page.csrf} />
          {detail.membershipStatus === 'active' ? (
            <button type="submit" class="danger">
              Suspend access
            </button>
          ) : (
            <button type="submit" class="primary">
              Restore access
            </button>
          )}
        </form>
      ) : (
        <p>{detail.membershipStatus === 'active' ? 'Has access' : 'Suspended'}</p>
      )}

      <h2>Product access</h2>
      {detail.productAccess.length === 0 ? <p>No product access.</p> : null}
      {detail.productAccess.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Role</th>
              <th scope="col">Seats used</th>
              <th scope="col">
                <span class="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {detail.productAccess.map((p) => (
              <tr>
                <td>{p.productName}</td>
                <td>{p.role}</td>
                <td>
                  {p.seatsUsed} of {p.seatLimit}
                </td>
                <td>
                  {mayProducts ? (
                    <form method="post" action={`${href}/product-access/revoke`} class="inline">
                      <CsrfField token={page.csrf} />
                      <input type="hidden" name="productId" value={p.productId} />
                      <input type="hidden" name="role" value={p.role} />
                      <button type="submit">Remove</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
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
        <>
          <h2>Audit trail</h2>
          {events.length === 0 ? <p class="muted">No events about this user.</p> : null}
          <ul>
            {events.slice(0, 20).map((e) => (
              <li>
                <code>{e.action}</code> · {e.createdAt.toISOString().slice(0, 16).replace('T', ' ')} ·{' '}
                {e.actorType}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </AdminShell>,
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
    await authorizeProductAccess(c.get('services').db, c.get('actor'), {
      orgId: scope.page.org.id,
      productId,
    });
    await (change === 'grant' ? grantProductAccess : revokeProductAccess)(c.get('services'), c.get('actor'), {
      orgId: scope.page.org.id,
      productId,
      accountId: c.req.param('accountId')!,
      role: role === 'admin' || role === 'customer' ? role : 'user',
    });
    return change;
  });
}

for (const base of [DIRECTORY, SITE_USERS]) {
  usersRoutes.post(`${base}/:accountId/site-access`, (c) =>
    act(c, async (scope, form) => {
      const hasAccess = form.get('hasAccess') === 'on';
      await setSiteAccess(c.get('services'), c.get('actor'), {
        orgId: scope.page.org.id,
        siteId: form.get('siteId'),
        accountId: c.req.param('accountId'),
        hasAccess,
      });
      return hasAccess ? 'site-access-on' : 'site-access-off';
    }),
  );
  usersRoutes.post(`${base}/:accountId/suspend`, (c) =>
    act(c, async (scope) => {
      await suspendUser(c.get('services'), c.get('actor'), {
        orgId: scope.page.org.id,
        accountId: c.req.param('accountId'),
      });
      return 'suspend';
    }),
  );
  usersRoutes.post(`${base}/:accountId/restore`, (c) =>
    act(c, async (scope) => {
      await restoreUser(c.get('services'), c.get('actor'), {
        orgId: scope.page.org.id,
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
  const groups = await listGroups(c.get('services').db, scope.page.org.id, undefined, 500);
  const props = shellProps(scope, c, 'Groups');
  return c.html(
    <AdminShell {...props} crumbs={props.crumbs.slice(0, -1).concat({ label: 'Groups' })}>
      <table>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Description</th>
            <th scope="col">Members</th>
            <th scope="col">Default</th>
          </tr>
        </thead>
        <tbody>
          {groups.map(({ group: g, members }) => (
            <tr>
              <td>{g.name}</td>
              <td>{g.description}</td>
              <td>{members}</td>
              <td>{g.isDefault ? 'Default group' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminShell>,
  );
}
usersRoutes.get('/admin/o/:orgId/directory/groups', groupsPage);
usersRoutes.get('/admin/o/:orgId/sites/:site/groups', groupsPage);

/** Licences and seats of the site's products. */
usersRoutes.get('/admin/o/:orgId/sites/:site/licences', async (c) => {
  const page = await loadOrgPage(c, c.req.param('orgId'));
  const site = await loadSiteOfOrg(c, page, c.req.param('site'), 'org.view');
  const licences = (await listLicences(c.get('services').db, c.get('actor'), page.org.id)).filter(
    (l) => l.product.siteId === site.id,
  );
  return c.html(
    <AdminShell
      page={page}
      title="Product access"
      section="products"
      site={site.name}
      currentPath={c.req.path}
      crumbs={[
        { label: 'Products', href: orgHref(page.org.id, '/products') },
        { label: site.name, href: siteHref(page.org.id, site.name) },
        { label: 'Product access' },
      ]}
    >
      <table>
        <caption>Licences on {site.name}</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Seats used</th>
            <th scope="col">Seats available</th>
          </tr>
        </thead>
        <tbody>
          {licences.map((l) => (
            <tr>
              <td>{l.product.name}</td>
              <td>
                {l.seatsUsed} of {l.product.seatLimit}
              </td>
              <td>{l.seatsAvailable}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminShell>,
  );
});
