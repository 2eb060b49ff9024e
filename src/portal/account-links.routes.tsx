import { Hono } from 'hono';
import { requestPasswordReset, resetPassword } from '#src/domain/accounts/password-reset.ts';
import { setPasswordFromLink } from '#src/domain/accounts/set-password-from-link.ts';
import { verifyEmail } from '#src/domain/accounts/verify-email.ts';
import { acceptInvitation } from '#src/domain/directory/invite-accept.ts';
import { clientIp } from '#src/web/client-ip.ts';
import type { AppEnv } from '#src/web/http.ts';
import { csrfTokenOf } from '#src/web/session.ts';
import { readForm } from '#src/web/ui/forms.ts';
import { Notice } from '#src/web/ui/layout.tsx';
import { forgotForm, invitationForm, newPasswordForm } from './portal-auth.views.tsx';
import { portalHref } from './portal-shell.tsx';
import { publicPage, tokenErrors } from './public-page.tsx';

/**
 * The account pages that account mail links open, outside any site: verify the email, reset or set the password,
 * accept an invitation. (A site's portal has its own, in `portal-auth.routes.tsx`.)
 */
export const accountLinkRoutes = new Hono<AppEnv>();

/** Account mail links: verify the email, reset the password. */
accountLinkRoutes.get('/verify-email', async (c) => {
  try {
    await verifyEmail(c.get('services'), { token: c.req.query('token') ?? '', ip: clientIp(c) });
    return publicPage(
      c,
      'Email verified',
      <p>
        Your email address is verified. You can now <a href="/admin/login">log in</a> or go back to your help
        center.
      </p>,
    );
  } catch (error) {
    return publicPage(
      c,
      'This link did not work',
      <Notice kind="error">{tokenErrors(error)._form}</Notice>,
      400,
    );
  }
});

accountLinkRoutes.get('/reset-password', (c) =>
  publicPage(
    c,
    'Choose a new password',
    newPasswordForm(csrfTokenOf(c), '/reset-password', c.req.query('token') ?? ''),
  ),
);

accountLinkRoutes.post('/reset-password', async (c) => {
  const form = await readForm(c);
  const token = form.get('token');
  try {
    await resetPassword(c.get('services'), { token, password: form.get('password'), ip: clientIp(c) });
    return publicPage(
      c,
      'Password changed',
      <p>
        Your password is set. <a href="/admin/login">Log in</a>, or log in to your help center.
      </p>,
    );
  } catch (error) {
    return publicPage(
      c,
      'Choose a new password',
      newPasswordForm(csrfTokenOf(c), '/reset-password', token, tokenErrors(error)),
      400,
    );
  }
});

/** The account "forgot password" page that account mail links to (the portal has its own per site). */
accountLinkRoutes.get('/forgot-password', (c) =>
  publicPage(c, 'Forgot your password?', forgotForm(csrfTokenOf(c), '/forgot-password')),
);

accountLinkRoutes.post('/forgot-password', async (c) => {
  const form = await readForm(c);
  const email = form.get('email').trim();
  if (!email.includes('@'))
    return publicPage(
      c,
      'Forgot your password?',
      forgotForm(csrfTokenOf(c), '/forgot-password', email, { email: 'Enter a valid email address.' }),
      400,
    );
  await requestPasswordReset(c.get('services'), { email, ip: clientIp(c) });
  return publicPage(
    c,
    'Check your email',
    <p>If {email} has an account, we sent it a link to choose a new password.</p>,
  );
});

/** The invitation mail's link: joins the organization, creating the account when the email has none. */
accountLinkRoutes.get('/invitations/accept', (c) =>
  publicPage(c, 'Accept your invitation', invitationForm(csrfTokenOf(c), c.req.query('token') ?? '')),
);

accountLinkRoutes.post('/invitations/accept', async (c) => {
  const form = await readForm(c);
  const token = form.get('token');
  const name = form.get('name').trim();
  const password = form.get('password');
  try {
    await acceptInvitation(c.get('services'), {
      token,
      name: name || undefined,
      password: password || undefined,
    });
    return publicPage(
      c,
      'Invitation accepted',
      <p>
        You joined the organization. <a href="/admin/login">Log in</a> with the invited email.
      </p>,
    );
  } catch (error) {
    return publicPage(
      c,
      'Accept your invitation',
      invitationForm(csrfTokenOf(c), token, name, tokenErrors(error)),
      400,
    );
  }
});

/** The set-password link of an account created by a migration (verifies the email too). */
accountLinkRoutes.get('/account/set-password', (c) =>
  publicPage(
    c,
    'Set your password',
    <>
      <p>
        Your help-center profile was moved to an account. Choose a password to finish; this also verifies your
        email.
      </p>
      {newPasswordForm(
        csrfTokenOf(c),
        '/account/set-password',
        c.req.query('token') ?? '',
        {},
        'Set password',
      )}
    </>,
  ),
);

accountLinkRoutes.post('/account/set-password', async (c) => {
  const form = await readForm(c);
  const token = form.get('token');
  const services = c.get('services');
  try {
    const result = await setPasswordFromLink(services, {
      token,
      password: form.get('password'),
      ip: clientIp(c),
    });
    // The login form opens with the email filled in: the person has just chosen the password, not the address.
    if (result.siteName)
      return c.redirect(
        `${portalHref(result.siteName, '/login')}?${new URLSearchParams({ notice: 'password', email: result.email })}`,
        303,
      );
    return publicPage(
      c,
      'Password set',
      <p>
        Your password is set. <a href="/admin/login">Log in</a>.
      </p>,
    );
  } catch (error) {
    return publicPage(
      c,
      'Set your password',
      newPasswordForm(csrfTokenOf(c), '/account/set-password', token, tokenErrors(error), 'Set password'),
      400,
    );
  }
});
