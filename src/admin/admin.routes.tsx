import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { login, logout } from '#src/domain/accounts/login.ts';
import { landingOf, listWorkplaces } from '#src/domain/accounts/workplaces.ts';
import { listOrgProducts } from '#src/domain/directory/list-products.ts';
import { AppError } from '#src/shared/errors.ts';
import { clientIp } from '#src/web/client-ip.ts';
import type { AppEnv } from '#src/web/http.ts';
import { rejectNulInUrl } from '#src/web/path-guards.ts';
import { clearSessionCookie, csrfTokenOf, SESSION_COOKIE, setSessionCookie } from '#src/web/session.ts';
import { CsrfField } from '#src/web/ui/fields.tsx';
import { readForm } from '#src/web/ui/forms.ts';
import { Document } from '#src/web/ui/layout.tsx';
import { LoginPage, safeNext } from '#src/web/ui/login-page.tsx';
import { useCaseContext } from '#src/web/use-case.ts';
import { accountOf, loadOrgPage, loadSiteOfOrg } from './admin-context.ts';
import { AdminShell, customersHref, orgHref, siteHref } from './admin-shell.tsx';

/** Paths of the admin console that need no login. The REST API under /admin/v1|v2 has its own auth. */
const PUBLIC_ADMIN = /^\/admin\/(login|v\d+)(\/|$)/;

export const adminRoutes = new Hono<AppEnv>();

adminRoutes.use('/admin/*', async (c, next) =>
  PUBLIC_ADMIN.test(c.req.path) ? next() : rejectNulInUrl(c, next),
);

/** Anonymous browsers go to the login page (and come back after); everything else needs an account. */
adminRoutes.use('/admin/*', async (c, next) => {
  if (PUBLIC_ADMIN.test(c.req.path) || c.get('actor').type === 'account') return next();
  if (c.req.method === 'GET') return c.redirect(`/admin/login?next=${encodeURIComponent(c.req.path)}`);
  return next();
});
adminRoutes.use('/admin', async (c, next) => {
  if (c.get('actor').type !== 'account') return c.redirect('/admin/login');
  return next();
});

/**
 * Where a person lands after logging in, and the switcher (`/admin?choose`) for people who are several of these:
 * the org they administer (console), else the queue they work, else the help center they use.
 */
adminRoutes.get('/admin', async (c) => {
  const { accountId } = accountOf(c);
  const places = await listWorkplaces(c.get('services').db, accountId);
  const landing = landingOf(places);
  if (landing && c.req.query('choose') === undefined) {
    const href =
      landing.kind === 'console'
        ? orgHref(landing.key)
        : `/sites/${encodeURIComponent(landing.key)}/${landing.kind === 'queue' ? 'agent' : 'portal'}`;
    return c.redirect(href);
  }
  const nothing = places.consoles.length + places.queues.length + places.portals.length === 0;
  return c.html(
    <Document title="Where do you want to go?" bodyClass="admin">
      <main id="main" class="narrow">
        <h1>Where do you want to go?</h1>
        {nothing ? (
          <p>
            You are not an administrator of any organization, an agent on any site, or a customer of any help
            center yet. Ask your administrator for access.
          </p>
        ) : null}
        {places.consoles.length > 0 ? (
          <section aria-labelledby="go-console">
            <h2 id="go-console">Admin console</h2>
            <ul class="card-list">
              {places.consoles.map((org) => (
                <li>
                  <a href={orgHref(org.orgId)}>{org.name}</a>{' '}
                  <span class="muted">{org.userManagement} user management</span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {places.queues.length > 0 ? (
          <section aria-labelledby="go-queue">
            <h2 id="go-queue">Agent queue</h2>
            <ul class="card-list">
              {places.queues.map((site) => (
                <li>
                  <a href={`/sites/${encodeURIComponent(site.siteName)}/agent`}>{site.siteName} queue</a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {places.portals.length > 0 ? (
          <section aria-labelledby="go-portal">
            <h2 id="go-portal">Help centers</h2>
            <ul class="card-list">
              {places.portals.map((site) => (
                <li>
                  <a href={`/sites/${encodeURIComponent(site.siteName)}/portal`}>
                    {site.siteName} help center
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <form method="post" action="/admin/logout" class="actions">
          <CsrfField token={csrfTokenOf(c) ?? ''} />
          <button type="submit">Log out</button>
        </form>
      </main>
    </Document>,
  );
});

adminRoutes.get('/admin/o/:orgId', async (c) => {
  const page = await loadOrgPage(c, c.req.param('orgId'));
  const { org, principal, sites } = page;
  return c.html(
    <AdminShell page={page} title={org.name} section="overview" currentPath={c.req.path}>
      <p>
        This organization uses the <strong>{org.userManagement}</strong> user management experience.{' '}
        {org.userManagement === 'centralized'
          ? 'Users and groups are under Directory; portal customers under Products → your site → Jira Service Management.'
          : 'Users, groups and portal-only customers are managed in each site’s Admin under Products.'}
      </p>
      <h2>Your role</h2>
      <p>
        {principal.isOrgAdmin
          ? 'Organization admin'
          : `Site admin of ${sites.map((s) => s.name).join(', ') || 'no site'}`}
      </p>
      <h2>Sites</h2>
      <ul class="card-list">
        {sites.map((site) => (
          <li>
            <a href={siteHref(org.id, site.name)}>{site.name}</a>
          </li>
        ))}
      </ul>
    </AdminShell>,
  );
});

/** Products: the org's sites and their products ("Sites and products"). */
adminRoutes.get('/admin/o/:orgId/products', async (c) => {
  const page = await loadOrgPage(c, c.req.param('orgId'));
  const products = await listOrgProducts(useCaseContext(c, { orgId: page.org.id }));
  return c.html(
    <AdminShell page={page} title="Sites and products" section="products" currentPath={c.req.path}>
      {page.sites.length === 0 ? <p>No sites yet.</p> : null}
      <ul class="card-list">
        {page.sites.map((site) => (
          <li class="card">
            <h2>
              <a href={siteHref(page.org.id, site.name)}>{site.name}</a>
            </h2>
            <p class="muted">
              {page.org.userManagement === 'original'
                ? 'Open the Admin for this site'
                : 'Products on this site'}
            </p>
            <ul>
              {products
                .filter((p) => p.siteId === site.id)
                .map((p) => (
                  <li>{p.name}</li>
                ))}
            </ul>
          </li>
        ))}
      </ul>
    </AdminShell>,
  );
});

/** One site: in centralized its products; in original the site's Admin (Users, Groups, JSM). */
adminRoutes.get('/admin/o/:orgId/sites/:site', async (c) => {
  const page = await loadOrgPage(c, c.req.param('orgId'));
  const site = await loadSiteOfOrg(c, page, c.req.param('site'), 'org.view');
  const products = await listOrgProducts(useCaseContext(c, { orgId: page.org.id, siteId: site.id }));
  const title = page.org.userManagement === 'original' ? `${site.name} Admin` : site.name;
  return c.html(
    <AdminShell
      page={page}
      title={title}
      section="products"
      site={site.name}
      currentPath={c.req.path}
      crumbs={[{ label: 'Products', href: orgHref(page.org.id, '/products') }, { label: site.name }]}
    >
      <h2>Products</h2>
      <table>
        <caption class="visually-hidden">Products on {site.name}</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Seat limit</th>
          </tr>
        </thead>
        <tbody>
          {products.map((p) => (
            <tr>
              <td>{p.name}</td>
              <td>{p.seatLimit}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href={customersHref(page.org.id, site.name)}>
          Jira Service Management → {'Portal-only customers'}
        </a>
      </p>
    </AdminShell>,
  );
});

adminRoutes.get('/admin/login', (c) =>
  c.html(
    <LoginPage
      action="/admin/login"
      title="Log in to Gatehouse admin"
      next={c.req.query('next')}
      csrf={csrfTokenOf(c)}
    />,
  ),
);

adminRoutes.post('/admin/login', async (c) => {
  const form = await readForm(c);
  const email = form.get('email').trim();
  const next = safeNext(form.get('next'), '/admin');
  try {
    const { session } = await login(c.get('services'), {
      email,
      password: form.get('password'),
      ip: clientIp(c),
      userAgent: c.req.header('user-agent') ?? null,
      previousSessionSecret: getCookie(c, SESSION_COOKIE),
    });
    setSessionCookie(c, session.secret, session.expiresAt);
    return c.redirect(next, 303);
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return c.html(
      <LoginPage
        action="/admin/login"
        title="Log in to Gatehouse admin"
        next={next}
        email={email}
        error={error.message}
        csrf={csrfTokenOf(c)}
      />,
      error.status as 401,
    );
  }
});

adminRoutes.post('/admin/logout', async (c) => {
  const actor = c.get('actor');
  await logout(c.get('services'), {
    sessionSecret: getCookie(c, SESSION_COOKIE),
    accountId: actor.type === 'account' ? actor.accountId : undefined,
    ip: clientIp(c),
  });
  clearSessionCookie(c);
  return c.redirect('/admin/login', 303);
});
