import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { LoginPage, safeNext } from '#src/admin/admin.routes.tsx';
import { readForm } from '#src/admin/forms.ts';
import { clientIp } from '#src/admin/request-info.ts';
import type { AppEnv } from '#src/api/http.ts';
import {
  clearSessionCookie,
  csrfTokenOf,
  SESSION_COOKIE,
  setSessionCookie,
} from '#src/api/middleware/session.ts';
import { login, logout } from '#src/domain/accounts/login.ts';
import { AppError } from '#src/shared/errors.ts';
import { siteOf } from './portal-context.ts';
import { portalHref } from './portal-shell.tsx';

/** Portal login and logout (account holders; portal-only customers through the customer login). */
export const portalAuthRoutes = new Hono<AppEnv>();

const P = '/sites/:site/portal';

function links(siteName: string) {
  return [
    { label: 'Sign up', href: portalHref(siteName, '/signup') },
    { label: 'Forgot your password?', href: portalHref(siteName, '/forgot-password') },
  ];
}

portalAuthRoutes.get(`${P}/login`, async (c) => {
  const site = await siteOf(c);
  return c.html(
    <LoginPage
      action={portalHref(site.name, '/login')}
      title={`Log in to the ${site.name} help center`}
      next={c.req.query('next')}
      csrf={csrfTokenOf(c)}
      links={links(site.name)}
    />,
  );
});

portalAuthRoutes.post(`${P}/login`, async (c) => {
  const site = await siteOf(c);
  const form = await readForm(c);
  const email = form.get('email').trim();
  const next = safeNext(form.get('next'), portalHref(site.name));
  const input = {
    email,
    password: form.get('password'),
    ip: clientIp(c),
    userAgent: c.req.header('user-agent') ?? null,
    previousSessionSecret: getCookie(c, SESSION_COOKIE),
  };
  try {
    const { session } = await login(c.get('services'), input);
    setSessionCookie(c, session.secret, session.expiresAt);
    return c.redirect(
      next.startsWith(`/sites/${encodeURIComponent(site.name)}/`) ? next : portalHref(site.name),
      303,
    );
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return c.html(
      <LoginPage
        action={portalHref(site.name, '/login')}
        title={`Log in to the ${site.name} help center`}
        next={next}
        email={email}
        error={error.message}
        csrf={csrfTokenOf(c)}
        links={links(site.name)}
      />,
      error.status as 401,
    );
  }
});

portalAuthRoutes.post(`${P}/logout`, async (c) => {
  const site = await siteOf(c);
  const actor = c.get('actor');
  await logout(c.get('services'), {
    sessionSecret: getCookie(c, SESSION_COOKIE),
    accountId: actor.type === 'account' ? actor.accountId : undefined,
    ip: clientIp(c),
  });
  clearSessionCookie(c);
  return c.redirect(portalHref(site.name, '/login'), 303);
});
