import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { login, logout } from '#src/domain/accounts/login.ts';
import { requestPasswordReset } from '#src/domain/accounts/password-reset.ts';
import { listWorkplaces } from '#src/domain/accounts/workplaces.ts';
import {
  customerLogin,
  customerLogout,
  customerSignUp,
  customerVerifyEmail,
  requestCustomerPasswordReset,
  resetCustomerPassword,
} from '#src/domain/customers/customer-auth.ts';
import { typedOldPortalPassword } from '#src/domain/customers/migrated-login-hint.ts';
import { AppError } from '#src/shared/errors.ts';
import { clientIp } from '#src/web/client-ip.ts';
import type { AppEnv } from '#src/web/http.ts';
import { clearSessionCookie, csrfTokenOf, SESSION_COOKIE, setSessionCookie } from '#src/web/session.ts';
import { type FieldErrors, formErrorsOf, readForm } from '#src/web/ui/forms.ts';
import { Notice } from '#src/web/ui/layout.tsx';
import { LoginPage, safeNext } from '#src/web/ui/login-page.tsx';
import { forgotForm, newPasswordForm, signUpForm } from './portal-auth.views.tsx';
import { siteOf } from './portal-context.ts';
import { portalHref } from './portal-shell.tsx';
import { publicPage, tokenErrors } from './public-page.tsx';

/**
 * Portal login, sign-up, password reset and email verification, for portal-only customers and account holders.
 * The account pages that mail links open (`/verify-email`, `/reset-password`, …) are in `account-links.routes.tsx`.
 */
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
  const notice = c.req.query('notice');
  return c.html(
    <LoginPage
      action={portalHref(site.name, '/login')}
      title={`Log in to the ${site.name} help center`}
      next={c.req.query('next')}
      email={c.req.query('email')}
      csrf={csrfTokenOf(c)}
      links={links(site.name)}
      info={
        notice === 'password'
          ? 'Your password is set. Log in with it.'
          : notice === 'verified'
            ? 'Your email address is verified. Log in.'
            : undefined
      }
    />,
  );
});

/**
 * One form for everyone: a live portal-only customer of this site logs in to this portal; otherwise (including
 * customers migrated to an account) the email and password are those of an account. An agent of this site who
 * gave no destination lands on the queue. A migrated customer typing the old portal password is told why it no
 * longer works.
 */
portalAuthRoutes.post(`${P}/login`, async (c) => {
  const site = await siteOf(c);
  const services = c.get('services');
  const form = await readForm(c);
  const email = form.get('email').trim();
  const asked = form.get('next');
  const next = safeNext(asked, portalHref(site.name));
  const input = {
    email,
    password: form.get('password'),
    ip: clientIp(c),
    userAgent: c.req.header('user-agent') ?? null,
    previousSessionSecret: getCookie(c, SESSION_COOKIE),
  };
  try {
    let session: { secret: string; expiresAt: Date };
    let accountId: string | undefined;
    try {
      ({ session } = await customerLogin(services, site, input));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'auth.invalid_credentials') throw error;
      const result = await login(services, input);
      session = result.session;
      accountId = result.account.id;
    }
    setSessionCookie(c, session.secret, session.expiresAt);
    if (!asked && accountId) {
      const places = await listWorkplaces(services.db, accountId);
      if (places.queues.some((q) => q.siteName === site.name))
        return c.redirect(`/sites/${encodeURIComponent(site.name)}/agent`, 303);
    }
    return c.redirect(
      next.startsWith(`/sites/${encodeURIComponent(site.name)}/`) ? next : portalHref(site.name),
      303,
    );
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    const migrated =
      error.code === 'auth.invalid_credentials' &&
      (await typedOldPortalPassword(services, site, { email, password: input.password }));
    return c.html(
      <LoginPage
        action={portalHref(site.name, '/login')}
        title={`Log in to the ${site.name} help center`}
        next={next}
        email={email}
        error={
          migrated
            ? 'That was your old help-center password. Your profile was moved to a Gatehouse account: set its password with the link in the email we sent you (“Set your password”), or use “Forgot your password?” below for a new link. Then log in here with your email and the new password.'
            : error.message
        }
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
  const sessionSecret = getCookie(c, SESSION_COOKIE);
  if (actor.type === 'account') {
    await logout(c.get('services'), { sessionSecret, accountId: actor.accountId, ip: clientIp(c) });
  } else {
    await customerLogout(c.get('services'), { sessionSecret });
  }
  clearSessionCookie(c);
  return c.redirect(portalHref(site.name, '/login'), 303);
});

portalAuthRoutes.get(`${P}/signup`, async (c) => {
  const site = await siteOf(c);
  return publicPage(c, 'Sign up', signUpForm(csrfTokenOf(c), portalHref(site.name, '/signup')));
});

portalAuthRoutes.post(`${P}/signup`, async (c) => {
  const site = await siteOf(c);
  const form = await readForm(c);
  const values = { email: form.get('email').trim(), displayName: form.get('displayName').trim() };
  const errors: FieldErrors = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) errors.email = 'Enter a valid email address.';
  if (!values.displayName) errors.displayName = 'Enter your name.';
  if (Object.keys(errors).length === 0) {
    try {
      await customerSignUp(c.get('services'), site, {
        ...values,
        password: form.get('password'),
        ip: clientIp(c),
      });
      return publicPage(
        c,
        'Check your email',
        <p>
          We sent a link to <strong>{values.email}</strong>. Follow it to verify your address, then log in.
        </p>,
      );
    } catch (error) {
      if (error instanceof AppError && error.code === 'auth.signup_disabled') errors._form = error.message;
      else Object.assign(errors, formErrorsOf(error));
    }
  }
  return publicPage(
    c,
    'Sign up',
    signUpForm(csrfTokenOf(c), portalHref(site.name, '/signup'), values, errors),
    400,
  );
});

portalAuthRoutes.get(`${P}/forgot-password`, async (c) => {
  const site = await siteOf(c);
  return publicPage(
    c,
    'Forgot your password?',
    forgotForm(csrfTokenOf(c), portalHref(site.name, '/forgot-password')),
  );
});

portalAuthRoutes.post(`${P}/forgot-password`, async (c) => {
  const site = await siteOf(c);
  const form = await readForm(c);
  const email = form.get('email').trim();
  if (!email.includes('@'))
    return publicPage(
      c,
      'Forgot your password?',
      forgotForm(csrfTokenOf(c), portalHref(site.name, '/forgot-password'), email, {
        email: 'Enter a valid email address.',
      }),
      400,
    );
  // Portal-only customer of this site and/or account holder: each gets a link if the email is theirs.
  await requestCustomerPasswordReset(c.get('services'), site, { email, ip: clientIp(c) });
  await requestPasswordReset(c.get('services'), { email, ip: clientIp(c) });
  return publicPage(
    c,
    'Check your email',
    <p>If {email} has an account here, we sent it a link to choose a new password.</p>,
  );
});

portalAuthRoutes.get(`${P}/reset-password`, async (c) => {
  const site = await siteOf(c);
  return publicPage(
    c,
    'Choose a new password',
    newPasswordForm(csrfTokenOf(c), portalHref(site.name, '/reset-password'), c.req.query('token') ?? ''),
  );
});

portalAuthRoutes.post(`${P}/reset-password`, async (c) => {
  const site = await siteOf(c);
  const form = await readForm(c);
  const token = form.get('token');
  try {
    await resetCustomerPassword(c.get('services'), site, {
      token,
      password: form.get('password'),
      ip: clientIp(c),
    });
    return c.redirect(`${portalHref(site.name, '/login')}?notice=password`, 303);
  } catch (error) {
    return publicPage(
      c,
      'Choose a new password',
      newPasswordForm(csrfTokenOf(c), portalHref(site.name, '/reset-password'), token, tokenErrors(error)),
      400,
    );
  }
});

portalAuthRoutes.get(`${P}/verify-email`, async (c) => {
  const site = await siteOf(c);
  try {
    await customerVerifyEmail(c.get('services'), site, {
      token: c.req.query('token') ?? '',
      ip: clientIp(c),
    });
    return c.redirect(`${portalHref(site.name, '/login')}?notice=verified`, 303);
  } catch (error) {
    const errors = tokenErrors(error);
    return publicPage(c, 'This link did not work', <Notice kind="error">{errors._form}</Notice>, 400);
  }
});
