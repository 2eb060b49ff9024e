import type { FC } from 'hono/jsx';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { Field } from '#src/web/ui/fields.tsx';
import type { FieldErrors } from '#src/web/ui/forms.ts';
import { Notice } from '#src/web/ui/layout.tsx';
import type { PortalUser } from './portal-context.ts';
import { PortalShell, portalHref } from './portal-shell.tsx';

/** The profile: who is signed in; accounts may change their name. */
export const ProfileView: FC<{
  site: SiteRow;
  who: string | undefined;
  csrf: string;
  user: PortalUser | undefined;
  saved: boolean;
  values: Record<string, string>;
  errors: FieldErrors;
}> = ({ site, who, csrf, user, saved, values, errors }) => {
  return (
    <PortalShell site={site} title="Profile" who={who} csrf={csrf} current="profile">
      {saved ? <Notice kind="ok">Your profile was saved.</Notice> : null}
      <dl class="props">
        <dt>Name</dt>
        <dd>{user?.name}</dd>
        <dt>Email</dt>
        <dd>{user?.email}</dd>
        <dt>Account type</dt>
        <dd>{user?.kind === 'customer' ? `Portal-only customer of ${site.name}` : 'Gatehouse account'}</dd>
      </dl>
      {user?.kind === 'account' ? (
        <form method="post" action={portalHref(site.name, '/profile')} class="stack card">
          <input type="hidden" name="_csrf" value={csrf} />
          {errors._form ? <Notice kind="error">{errors._form}</Notice> : null}
          <Field
            name="name"
            label="Full name"
            value={values.name ?? user.name}
            required
            error={errors.name}
          />
          <button type="submit" class="primary">
            Save
          </button>
        </form>
      ) : (
        <p class="muted">To change your name or email, ask the help center’s team.</p>
      )}
    </PortalShell>
  );
};
