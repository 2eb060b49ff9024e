import type { FC } from 'hono/jsx';
import { PASSWORD_MIN } from '#src/domain/accounts/password-policy.ts';

/** A labelled input with its field error (`aria-invalid` + `aria-describedby`). */
export const Field: FC<{
  name: string;
  label: string;
  type?: string;
  value?: string;
  error?: string;
  autocomplete?: string;
  required?: boolean;
  hint?: string;
}> = ({ name, label, type = 'text', value, error, autocomplete, required, hint }) => {
  const id = `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        autocomplete={autocomplete}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
};

/** The field where someone chooses a password, with the policy as its hint. */
export const NewPasswordField: FC<{ label: string; error?: string }> = ({ label, error }) => (
  <Field
    name="password"
    label={label}
    type="password"
    autocomplete="new-password"
    required
    error={error}
    hint={`At least ${PASSWORD_MIN} characters, not a common password.`}
  />
);

/** The hidden CSRF field every cookie-authenticated form posts. */
export const CsrfField: FC<{ token: string }> = ({ token }) => (
  <input type="hidden" name="_csrf" value={token} />
);
