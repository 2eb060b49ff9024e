import type { Child, FC } from 'hono/jsx';
import { CsrfField } from '#src/web/ui/fields.tsx';
import { Breadcrumbs, Document, type NavItem, NavList } from '#src/web/ui/layout.tsx';
import type { OrgPage } from './admin-context.ts';

export type AdminSection = 'overview' | 'directory' | 'products' | 'security' | 'settings';

/** `/admin/o/<orgId>` + path. */
export const orgHref = (orgId: string, path = '') => `/admin/o/${encodeURIComponent(orgId)}${path}`;
/** A site's admin pages: `/admin/o/<orgId>/sites/<name>` + path. */
export const siteHref = (orgId: string, siteName: string, path = '') =>
  orgHref(orgId, `/sites/${encodeURIComponent(siteName)}${path}`);

/** The site's portal-only customers list (Jira Service Management → Portal customers). */
export const customersHref = (orgId: string, siteName: string) => siteHref(orgId, siteName, '/jsm/customers');

/** A user's page in the console: Directory → Users (centralized) or the site's Admin → Users (original). */
export const userHref = (
  org: { id: string; userManagement: 'centralized' | 'original' },
  siteName: string,
  accountId: string,
) =>
  org.userManagement === 'centralized'
    ? orgHref(org.id, `/directory/users/${encodeURIComponent(accountId)}`)
    : siteHref(org.id, siteName, `/users/${encodeURIComponent(accountId)}`);

/** The users list where a migrated customer is found next (same experience rule as `userHref`). */
export const usersHref = (
  org: { id: string; userManagement: 'centralized' | 'original' },
  siteName: string,
) =>
  org.userManagement === 'centralized'
    ? orgHref(org.id, '/directory/users')
    : siteHref(org.id, siteName, '/users');

/** The page of one migration task (live progress, then the report). */
export const migrationTaskHref = (orgId: string, siteName: string, taskId: string) =>
  siteHref(orgId, siteName, `/jsm/migrations/${encodeURIComponent(taskId)}`);

/**
 * The side navigation of each experience, as the seed describes it.
 * Centralized: Directory → Users, Groups; Products → the site → Jira Service Management → Portal customers.
 * Original: Products → the site (its Admin) → Users, Groups, Jira Service Management → Portal-only customers.
 */
export function sideNav(page: OrgPage, section: AdminSection, currentPath: string, site?: string): NavItem[] {
  const { org } = page;
  const at = (href: string): NavItem['current'] => href === currentPath;
  if (section === 'directory') {
    const users = orgHref(org.id, '/directory/users');
    const groups = orgHref(org.id, '/directory/groups');
    const invite = orgHref(org.id, '/invite');
    return [
      { label: 'Users', href: users, current: at(users) || currentPath.startsWith(`${users}/`) },
      { label: 'Groups', href: groups, current: at(groups) },
      { label: 'Invite users', href: invite, current: at(invite) },
    ];
  }
  if (section === 'products') {
    const items: NavItem[] = [
      {
        label: 'Sites and products',
        href: orgHref(org.id, '/products'),
        current: at(orgHref(org.id, '/products')),
      },
    ];
    if (site) {
      const base = siteHref(org.id, site);
      const customers = `${base}/jsm/customers`;
      const jsm: NavItem = {
        label: 'Jira Service Management',
        href: customers,
        children: [
          {
            label: 'Portal-only customers',
            href: customers,
            current: currentPath.startsWith(customers),
          },
          // Who may migrate: org admins, and in the original experience site admins too.
          ...(page.principal.isOrgAdmin || org.userManagement === 'original'
            ? [
                {
                  label: 'Migrations',
                  href: `${base}/jsm/migrations`,
                  current: currentPath === `${base}/jsm/migrations`,
                },
              ]
            : []),
        ],
      };
      items.push({
        label: site,
        href: base,
        current: at(base),
        children:
          org.userManagement === 'original'
            ? [
                { label: 'Users', href: `${base}/users`, current: currentPath.startsWith(`${base}/users`) },
                { label: 'Groups', href: `${base}/groups`, current: at(`${base}/groups`) },
                { label: 'Product access', href: `${base}/licences`, current: at(`${base}/licences`) },
                jsm,
              ]
            : [{ label: 'Product access', href: `${base}/licences`, current: at(`${base}/licences`) }, jsm],
      });
    }
    return items;
  }
  if (section === 'security') {
    const audit = orgHref(org.id, '/audit');
    return [{ label: 'Audit log', href: audit, current: at(audit) }];
  }
  if (section === 'settings') {
    const keys = orgHref(org.id, '/api-keys');
    const outbox = orgHref(org.id, '/outbox');
    return [
      { label: 'API keys', href: keys, current: at(keys) },
      { label: 'Mail outbox', href: outbox, current: at(outbox) },
    ];
  }
  return [];
}

/** The header tabs: Directory exists only in the centralized experience; Security/Settings only for org admins. */
function headerTabs(page: OrgPage): { section: AdminSection; label: string; href: string }[] {
  const { org, principal } = page;
  const tabs: { section: AdminSection; label: string; href: string }[] = [
    { section: 'overview', label: 'Overview', href: orgHref(org.id) },
  ];
  if (org.userManagement === 'centralized' && principal.isOrgAdmin)
    tabs.push({ section: 'directory', label: 'Directory', href: orgHref(org.id, '/directory/users') });
  tabs.push({ section: 'products', label: 'Products', href: orgHref(org.id, '/products') });
  if (principal.isOrgAdmin) {
    tabs.push({ section: 'security', label: 'Security', href: orgHref(org.id, '/audit') });
    tabs.push({ section: 'settings', label: 'Settings', href: orgHref(org.id, '/api-keys') });
  }
  return tabs;
}

export const AdminShell: FC<{
  page: OrgPage;
  title: string;
  section: AdminSection;
  currentPath: string;
  site?: string;
  crumbs?: { label: string; href?: string }[];
  children?: Child;
}> = ({ page, title, section, currentPath, site, crumbs, children }) => {
  const nav = sideNav(page, section, currentPath, site);
  return (
    <Document title={title} bodyClass="admin">
      <header class="topbar">
        <a class="brand" href="/admin">
          Gatehouse <span class="muted">admin</span>
        </a>
        <nav aria-label="Sections" class="tabs">
          <ul>
            {headerTabs(page).map((tab) => (
              <li>
                <a href={tab.href} aria-current={tab.section === section ? 'page' : undefined}>
                  {tab.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="account-menu">
          <a href="/admin?choose" class="org-switch" title="Switch organization">
            {page.org.name} <span class="muted">({page.org.userManagement})</span>
          </a>
          <form method="post" action="/admin/logout" class="inline">
            <CsrfField token={page.csrf} />
            <button type="submit" class="link">
              Log out {page.accountEmail}
            </button>
          </form>
        </div>
      </header>
      <div class={nav.length ? 'with-nav' : 'no-nav'}>
        {nav.length ? <NavList items={nav} label="Section navigation" /> : null}
        <main id="main">
          {crumbs ? <Breadcrumbs items={crumbs} /> : null}
          <h1>{title}</h1>
          {children}
        </main>
      </div>
    </Document>
  );
};
