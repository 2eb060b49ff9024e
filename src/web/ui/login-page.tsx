import { Document } from './layout.tsx';

/** Only same-site relative paths may be a post-login destination (no open redirect). */
export function safeNext(next: string | undefined, fallback: string): string {
  return next && /^\/(?!\/)[\w\-./?=&%~]*$/.test(next) ? next : fallback;
}

export const LoginPage = ({
  action,
  title,
  next,
  email,
  error,
  links,
  csrf,
  info,
}: {
  csrf?: string;
  info?: string;
  action: string;
  title: string;
  next?: string;
  email?: string;
  error?: string;
  links?: { label: string; href: string }[];
}) => (
  <Document title={title} bodyClass="auth">
    <main id="main" class="narrow card">
      <h1>{title}</h1>
      {info ? (
        <div class="notice notice-ok" role="status">
          {info}
        </div>
      ) : null}
      {error ? (
        <div class="notice notice-error" role="alert">
          {error}
        </div>
      ) : null}
      <form method="post" action={action} class="stack">
        <input type="hidden" name="next" value={next ?? ''} />
        {csrf ? <input type="hidden" name="_csrf" value={csrf} /> : null}
        <div class={`field${error ? ' field-invalid' : ''}`}>
          <label for="field-email">Email</label>
          <input id="field-email" name="email" type="email" autocomplete="username" required value={email} />
        </div>
        <div class={`field${error ? ' field-invalid' : ''}`}>
          <label for="field-password">Password</label>
          <input
            id="field-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
        </div>
        <button type="submit" class="primary">
          Log in
        </button>
      </form>
      {links?.length ? (
        <ul class="inline-links">
          {links.map((l) => (
            <li>
              <a href={l.href}>{l.label}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </main>
  </Document>
);
