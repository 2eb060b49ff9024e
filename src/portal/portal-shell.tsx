import type { Child, FC } from 'hono/jsx';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { CsrfField } from '#src/web/ui/fields.tsx';
import { Document } from '#src/web/ui/layout.tsx';

/** `/sites/<name>/portal` + path. */
export const portalHref = (siteName: string, path = '') =>
  `/sites/${encodeURIComponent(siteName)}/portal${path}`;

export const PortalShell: FC<{
  site: SiteRow;
  title: string;
  /** The signed-in person's name, or undefined on the public pages (login, sign up, reset). */
  who?: string;
  csrf?: string;
  current?: 'home' | 'requests' | 'kb' | 'profile';
  children?: Child;
}> = ({ site, title, who, csrf, current, children }) => {
  const link = (key: typeof current, href: string, label: string) => (
    <li>
      <a href={href} aria-current={current === key ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <Document title={`${title} · ${site.name} help center`} bodyClass="portal">
      <header class="topbar portal-topbar">
        <a class="brand" href={portalHref(site.name)}>
          {site.name} <span class="muted">help center</span>
        </a>
        {who ? (
          <>
            <nav aria-label="Portal" class="tabs">
              <ul>
                {link('home', portalHref(site.name), 'Help center')}
                {link('requests', portalHref(site.name, '/requests'), 'Requests')}
                {link('kb', portalHref(site.name, '/kb'), 'Knowledge base')}
                {link('profile', portalHref(site.name, '/profile'), 'Profile')}
              </ul>
            </nav>
            <div class="account-menu">
              <span>{who}</span>
              <form method="post" action={portalHref(site.name, '/logout')} class="inline">
                <CsrfField token={csrf ?? ''} />
                <button type="submit" class="link">
                  Log out
                </button>
              </form>
            </div>
          </>
        ) : null}
      </header>
      <div class="no-nav">
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </div>
    </Document>
  );
};
