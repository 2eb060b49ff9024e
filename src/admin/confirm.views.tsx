import type { Child, FC } from 'hono/jsx';
import { CsrfField } from '#src/web/ui/fields.tsx';
import { AdminShell } from './admin-shell.tsx';

/** The form field that says the admin has seen the confirmation: an action without it only asks. */
export const CONFIRMED_FIELD = 'confirmed';

/** What an access-removing or irreversible action asks before it acts. */
export interface Confirmation {
  title: string;
  button: string;
  explain: Child;
  /** The action's form fields, posted again with the confirmation. */
  fields?: Record<string, string>;
}

/** Whether a posted form carries the confirmation (see `ConfirmStep`). */
export const isConfirmed = (form: { get(name: string): string }) => form.get(CONFIRMED_FIELD) === 'yes';

/**
 * The confirmation of an access-removing or irreversible console action. The action's form posts without
 * `confirmed=yes`: the route answers this page instead of acting, which says what will happen and posts the same
 * fields again with the confirmation. Plain HTML: it works without JavaScript and by keyboard.
 */
export const ConfirmStep: FC<{
  shell: Omit<Parameters<typeof AdminShell>[0], 'children'>;
  action: string;
  csrf: string;
  /** The fields of the original form, posted again unchanged. */
  fields?: Record<string, string>;
  explain: Child;
  button: string;
  cancelHref: string;
  /** What the way back says ("Cancel" unless the action is itself a cancelling). */
  cancelLabel?: string;
}> = ({ shell, action, csrf, fields = {}, explain, button, cancelHref, cancelLabel = 'Cancel' }) => (
  <AdminShell {...shell}>
    <form method="post" action={action} class="stack card" aria-labelledby="confirm-heading">
      <h2 id="confirm-heading">Are you sure?</h2>
      <CsrfField token={csrf} />
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name={CONFIRMED_FIELD} value="yes" />
      {explain}
      <div class="actions">
        <button type="submit" class="danger">
          {button}
        </button>
        <a href={cancelHref} class="button">
          {cancelLabel}
        </a>
      </div>
    </form>
  </AdminShell>
);
