import type { FC, PropsWithChildren } from 'hono/jsx';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { Field, NewPasswordField } from '#src/web/ui/fields.tsx';
import type { FieldErrors } from '#src/web/ui/forms.ts';
import { Document, Notice } from '#src/web/ui/layout.tsx';
import { PortalShell } from './portal-shell.tsx';

/** A small public page (sign-up, reset, verify) in the site's portal frame, or the plain frame without a site. */
export const PublicPageView: FC<PropsWithChildren<{ site?: SiteRow; title: string }>> = ({
  site,
  title,
  children,
}) =>
  site ? (
    <PortalShell site={site} title={title}>
      <div class="narrow-form">{children}</div>
    </PortalShell>
  ) : (
    <Document title={title}>
      <main id="main" class="narrow card">
        <h1>{title}</h1>
        {children}
      </main>
    </Document>
  );

/** The hidden CSRF field, when the browser already has a session (these pages are also open to anonymous callers). */
const csrfInput = (token: string | undefined) =>
  token ? <input type="hidden" name="_csrf" value={token} /> : null;

export function signUpForm(
  csrf: string | undefined,
  action: string,
  values: Record<string, string> = {},
  errors: FieldErrors = {},
) {
  return (
    <form method="post" action={action} class="stack">
      {csrfInput(csrf)}
      {errors._form ? <Notice kind="error">{errors._form}</Notice> : null}
      <Field
        name="email"
        label="Email"
        type="email"
        autocomplete="email"
        value={values.email}
        required
        error={errors.email}
      />
      <Field
        name="displayName"
        label="Full name"
        autocomplete="name"
        value={values.displayName}
        required
        error={errors.displayName}
      />
      <NewPasswordField label="Password" error={errors.password} />
      <button type="submit" class="primary">
        Sign up
      </button>
    </form>
  );
}

export function forgotForm(csrf: string | undefined, action: string, email = '', errors: FieldErrors = {}) {
  return (
    <form method="post" action={action} class="stack">
      {csrfInput(csrf)}
      <p>Enter your email and we’ll send you a link to choose a new password.</p>
      <Field
        name="email"
        label="Email"
        type="email"
        autocomplete="email"
        value={email}
        required
        error={errors.email}
      />
      <button type="submit" class="primary">
        Send link
      </button>
    </form>
  );
}

export function newPasswordForm(
  csrf: string | undefined,
  action: string,
  token: string,
  errors: FieldErrors = {},
  title = 'Choose a new password',
) {
  return (
    <form method="post" action={action} class="stack">
      {csrfInput(csrf)}
      {errors._form ? <Notice kind="error">{errors._form}</Notice> : null}
      <input type="hidden" name="token" value={token} />
      <NewPasswordField label="New password" error={errors.password} />
      <button type="submit" class="primary">
        {title}
      </button>
    </form>
  );
}

export function invitationForm(csrf: string | undefined, token: string, name = '', errors: FieldErrors = {}) {
  return (
    <form method="post" action="/invitations/accept" class="stack">
      {csrfInput(csrf)}
      {errors._form ? <Notice kind="error">{errors._form}</Notice> : null}
      <input type="hidden" name="token" value={token} />
      <p>
        New to Gatehouse? Choose your name and a password. Already have an account with the invited email?
        Leave both empty and accept.
      </p>
      <Field name="name" label="Full name" autocomplete="name" value={name} error={errors.name} />
      <NewPasswordField label="Password" error={errors.password} />
      <button type="submit" class="primary">
        Accept invitation
      </button>
    </form>
  );
}
