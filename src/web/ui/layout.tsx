import { raw } from 'hono/html';
import type { Child, FC, PropsWithChildren } from 'hono/jsx';

/**
 * The HTML document every browser surface shares: one stylesheet, htmx from the package, no CDN. The doctype
 * keeps browsers in standards mode (without it, quirks mode gives forms a bottom margin and shifts the header).
 */
export const Document: FC<PropsWithChildren<{ title: string; bodyClass?: string }>> = ({
  title,
  bodyClass,
  children,
}) => (
  <>
    {raw('<!doctype html>')}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Gatehouse`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/htmx.min.js" defer />
        <script src="/assets/app.js" defer />
      </head>
      <body class={bodyClass}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        {children}
      </body>
    </html>
  </>
);

export interface NavItem {
  label: string;
  href: string;
  current?: boolean;
  children?: NavItem[];
}

/** A nested navigation list; the current page carries `aria-current="page"`. */
export const NavList: FC<{ items: NavItem[]; label: string }> = ({ items, label }) => (
  <nav aria-label={label} class="side-nav">
    <ul>
      {items.map((item) => (
        <li>
          <a href={item.href} aria-current={item.current ? 'page' : undefined}>
            {item.label}
          </a>
          {item.children && item.children.length > 0 ? (
            <ul>
              {item.children.map((child) => (
                <li>
                  <a href={child.href} aria-current={child.current ? 'page' : undefined}>
                    {child.label}
                  </a>
                  {child.children && child.children.length > 0 ? (
                    <ul>
                      {child.children.map((leaf) => (
                        <li>
                          <a href={leaf.href} aria-current={leaf.current ? 'page' : undefined}>
                            {leaf.label}
                          </a>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  </nav>
);

/** Breadcrumbs: the path the seed describes, shown above each page's heading. */
export const Breadcrumbs: FC<{ items: { label: string; href?: string }[] }> = ({ items }) => (
  <nav aria-label="Breadcrumb" class="breadcrumbs">
    <ol>
      {items.map((item, index) => (
        <li>
          {item.href && index < items.length - 1 ? (
            <a href={item.href}>{item.label}</a>
          ) : (
            <span aria-current={index === items.length - 1 ? 'page' : undefined}>{item.label}</span>
          )}
        </li>
      ))}
    </ol>
  </nav>
);

/** A notice box (flash message, warning, or a form's summary of errors). */
export const Notice: FC<{ kind?: 'info' | 'ok' | 'warn' | 'error'; children?: Child }> = ({
  kind = 'info',
  children,
}) => (
  <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
    {children}
  </div>
);
