import type { FC } from 'hono/jsx';
import { presentCustomerName } from '#src/domain/customers/customer-display.ts';
import { CsrfField, Field, NewPasswordField } from '#src/web/ui/fields.tsx';
import type { FieldErrors } from '#src/web/ui/forms.ts';
import { Notice } from '#src/web/ui/layout.tsx';
import type { OrgPage } from './admin-context.ts';
import { AdminShell, customersHref, userHref } from './admin-shell.tsx';
import { customerCrumbs, type Row } from './customers.views.tsx';

export type ActionKey = 'password' | 'name' | 'migrate' | 'revoke' | 'grant' | 'delete';

interface ActionSpec {
  title: string;
  button: string;
  danger?: boolean;
  explain: (customer: Row, siteName: string) => unknown;
}

/** What each confirmation says will happen, exactly. */
const ACTIONS: Record<ActionKey, ActionSpec> = {
  password: {
    title: 'Change password',
    button: 'Change password',
    explain: (c) => (
      <p>
        Sets a new password for <strong>{c.email}</strong>. Every session the customer has open ends at once.
      </p>
    ),
  },
  name: {
    title: 'Edit full name',
    button: 'Save name',
    explain: () => <p>The new name shows on every service project of this site.</p>,
  },
  migrate: {
    title: 'Migrate to a Gatehouse account',
    button: 'Migrate',
    danger: true,
    explain: (c, siteName) => (
      <>
        <p>
          You are migrating <strong>{c.displayName}</strong> ({c.email}) to a Gatehouse account. When you
          migrate a customer, we:
        </p>
        <ul>
          <li>deactivate their portal-only profile (it then shows as Inactive);</li>
          <li>migrate important data, such as their requests, to the Gatehouse account;</li>
          <li>assign a new user key to the Gatehouse account;</li>
          <li>assign the ‘Customer’ product role;</li>
          <li>
            add them to the <code>jira-servicemanagement-customers-{siteName}</code> group, with no default
            product access.
          </li>
        </ul>
        <p>
          If an account with this email exists, the customer is linked to it; otherwise a new account is
          created and they get an email to verify their address and set a password. They must then log in with
          their Gatehouse account credentials.
        </p>
        <p>
          <strong>This can’t be undone.</strong> It usually takes a few seconds, and can take up to about a
          minute.
        </p>
      </>
    ),
  },
  revoke: {
    title: 'Revoke access',
    button: 'Revoke access',
    danger: true,
    explain: (c) => (
      <p>
        <strong>{c.displayName}</strong> can no longer log in to the portal and shows as “{c.displayName}{' '}
        (Deactivated)”. Their open sessions end. Their requests stay, and you can grant access again later.
      </p>
    ),
  },
  grant: {
    title: 'Grant access',
    button: 'Grant access',
    explain: (c) => (
      <p>
        <strong>{c.displayName}</strong> can log in to the portal again, with every request and reference
        kept.
      </p>
    ),
  },
  delete: {
    title: 'Delete customer',
    button: 'Delete',
    danger: true,
    explain: (c) => (
      <p>
        Deletes <strong>{c.displayName}</strong> ({c.email}). Their email, name and password are erased, their
        sessions end, and everywhere they appear shows “Former user (Deactivated)”. Their requests and
        comments stay. <strong>This can’t be undone.</strong>
      </p>
    ),
  },
};

const ActionForm: FC<{
  page: OrgPage;
  action: ActionKey;
  customer: Row;
  siteName: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
}> = ({ page, action, customer, siteName, values = {}, errors = {} }) => {
  const spec = ACTIONS[action];
  const list = customersHref(page.org.id, siteName);
  return (
    <form method="post" class="stack card" action={`${list}/${encodeURIComponent(customer.id)}/${action}`}>
      <CsrfField token={page.csrf} />
      {errors._form ? <Notice kind="error">{errors._form}</Notice> : null}
      {spec.explain(customer, siteName)}
      {action === 'password' ? <NewPasswordField label="New password" error={errors.password} /> : null}
      {action === 'name' ? (
        <Field
          name="displayName"
          label="Full name"
          value={values.displayName ?? customer.displayName}
          required
          error={errors.displayName}
        />
      ) : null}
      <div class="actions">
        <button type="submit" class={spec.danger ? 'danger' : 'primary'}>
          {spec.button}
        </button>
        <a href={list} class="button">
          Cancel
        </a>
      </div>
    </form>
  );
};

/** A confirmation page: what the action does, its fields, and the button (400 when refused). */
export const CustomerActionView: FC<{
  page: OrgPage;
  siteName: string;
  currentPath: string;
  action: ActionKey;
  customer: Row;
  values?: Record<string, string>;
  errors?: FieldErrors;
}> = ({ page, siteName, currentPath, action, customer, values, errors }) => (
  <AdminShell
    page={page}
    title={ACTIONS[action].title}
    section="products"
    site={siteName}
    currentPath={currentPath}
    crumbs={customerCrumbs(page, siteName, presentCustomerName(customer).displayName)}
  >
    {customer.status === 'migrated' || customer.status === 'migrating' ? (
      // Reopening an old link: nothing to do here any more; say so and point to the account.
      <Notice kind="info">
        <span data-testid="already-migrated">
          {customer.status === 'migrated'
            ? 'This customer was already migrated to a Gatehouse account; the portal-only profile is inactive.'
            : 'This customer is being migrated right now.'}{' '}
          {customer.migratedToAccountId ? (
            <a href={userHref(page.org, siteName, customer.migratedToAccountId)}>Open the account</a>
          ) : null}
        </span>
      </Notice>
    ) : (
      <ActionForm
        page={page}
        action={action}
        customer={customer}
        siteName={siteName}
        values={values}
        errors={errors}
      />
    )}
  </AdminShell>
);
