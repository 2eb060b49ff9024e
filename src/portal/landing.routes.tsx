import { Hono } from 'hono';
import { listLandingSites } from '#src/domain/directory/list-landing-sites.ts';
import { isLocalMode } from '#src/domain/mail/local-mode.ts';
import type { AppEnv } from '#src/web/http.ts';
import { Document } from '#src/web/ui/layout.tsx';
import { siteOf } from './portal-context.ts';
import { portalHref } from './portal-shell.tsx';

/** `GET /`: where the start banner's URL leads; links every surface a newcomer looks for. */
export const landingRoutes = new Hono<AppEnv>();

landingRoutes.get('/', async (c) => {
  const services = c.get('services');
  const sites = await listLandingSites(services);
  const local = isLocalMode(services.config);
  return c.html(
    <Document title="Gatehouse">
      <main id="main" class="narrow card stack">
        <h1>Gatehouse</h1>
        <p>Service-desk identity platform: accounts, portal-only customers and the migration between them.</p>
        <h2>Start here</h2>
        <ul>
          <li>
            <a href="/admin">Admin console</a> (organization and site admins)
          </li>
          <li>
            <a href="/docs">API documentation</a> (<a href="/openapi.json">OpenAPI document</a>)
          </li>
          {local ? (
            <li>
              <a href="/mail">Mail viewer</a>: every mail Gatehouse would have sent (verification, reset,
              invitation links)
            </li>
          ) : null}
        </ul>
        <h2>Help centers</h2>
        {sites.length > 0 ? (
          <ul data-testid="landing-sites">
            {sites.map((name) => (
              <li>
                <strong>{name}</strong>: <a href={portalHref(name)}>customer portal</a> ·{' '}
                <a href={`/sites/${encodeURIComponent(name)}/agent`}>agent queue</a>
              </li>
            ))}
          </ul>
        ) : (
          <p>
            A site's help center is at <code>/sites/&lt;site&gt;/portal</code>, its agent queue at{' '}
            <code>/sites/&lt;site&gt;/agent</code>.
          </p>
        )}
      </main>
    </Document>,
  );
});

/** `GET /sites/<site>`: the site's URL (the Admin API's `product_access[].url`) leads to its help center. */
landingRoutes.get('/sites/:site', async (c) => {
  const site = await siteOf(c);
  return c.redirect(portalHref(site.name), 302);
});
