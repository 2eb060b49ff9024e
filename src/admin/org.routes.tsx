import { Hono } from 'hono';
import { countOrgEvents } from '#src/domain/audit/count-org-events.ts';
import { describeEventParties } from '#src/domain/audit/describe-event-parties.ts';
import { listOrgEvents } from '#src/domain/audit/list-org-events.ts';
import { createApiKey, listOrgApiKeys, revokeOrgApiKey } from '#src/domain/directory/api-keys.ts';
import { inviteUsers } from '#src/domain/directory/invite-users.ts';
import { listOutbox } from '#src/domain/mail/list-outbox.ts';
import type { AppEnv } from '#src/web/http.ts';
import { CsrfField, Field } from '#src/web/ui/fields.tsx';
import { type FieldErrors, formErrorsOf, readForm } from '#src/web/ui/forms.ts';
import { Notice } from '#src/web/ui/layout.tsx';
import { useCaseContext } from '#src/web/use-case.ts';
import { type AdminContext, loadOrgPage } from './admin-context.ts';
import { AdminShell, orgHref } from './admin-shell.tsx';
import { AuditEventsTable } from './audit.views.tsx';
import { ConfirmStep, isConfirmed } from './confirm.views.tsx';
import { MailListView } from './mail.views.tsx';

/** Org-level pages: audit log (Security), API keys, mail outbox and invitations (Settings). */
export const orgRoutes = new Hono<AppEnv>();

const O = '/admin/o/:orgId';
const fmt = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '—');

/** The outbox: every mail of the org, with its links clickable (how links are followed in outbox mode). */
orgRoutes.get(`${O}/outbox`, async (c) => {
  const page = await loadOrgPage(c, c.req.param('orgId'));
  const to = (c.req.query('to') ?? '').trim().slice(0, 320);
  const mail = await listOutbox(useCaseContext(c, { orgId: page.org.id }), {
    to: to || undefined,
    limit: 100,
  });
  const transport = c.get('services').config.MAIL_TRANSPORT;
  return c.html(
    <AdminShell page={page} title="Mail outbox" section="settings" currentPath={c.req.path}>
      <p class="muted">
        {transport === 'outbox'
          ? 'Outbox mode: mail is kept here instead of being sent. Follow the links on behalf of the recipient when testing.'
          : 'Mail is sent through SMTP; this is the record of what was sent.'}
      </p>
      <MailListView mail={mail} to={to} action={orgHref(page.org.id, '/outbox')} />
    </AdminShell>,
  );
});

/**
 * The audit log with filters (action; who acted and whom it is about, by name, email or id; dates): people by
 * name with links, and the total.
 */
orgRoutes.get(`${O}/audit`, async (c) => {
  const page = await loadOrgPage(c, c.req.param('orgId'));
  const q = (name: string) => (c.req.query(name) ?? '').trim().slice(0, 200) || undefined;
  const date = (name: string) => {
    const value = q(name);
    const parsed = value ? new Date(value) : undefined;
    return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
  };
  const beforeParam = Number(c.req.query('before'));
  const filter = {
    action: q('action'),
    // A name, an email or an id (the links of user pages pass the account id as `target`).
    actorQuery: q('actor'),
    aboutQuery: q('target'),
    from: date('from'),
    to: date('to'),
  };
  const ctx = useCaseContext(c, { orgId: page.org.id });
  const [events, total] = await Promise.all([
    listOrgEvents(ctx, {
      filter,
      beforeSeq: Number.isSafeInteger(beforeParam) && beforeParam > 0 ? beforeParam : undefined,
      limit: 50,
    }),
    countOrgEvents(ctx, filter),
  ]);
  const shown = events.slice(0, 50);
  const parties = await describeEventParties(ctx, shown);
  const params = new URLSearchParams(c.req.query());
  params.delete('before');
  const paged = c.req.query('before') !== undefined;
  return c.html(
    <AdminShell page={page} title="Audit log" section="security" currentPath={c.req.path}>
      <form method="get" class="filters" action={orgHref(page.org.id, '/audit')}>
        {(
          [
            ['action', 'Action', 'text'],
            ['actor', 'By (name, email or id)', 'search'],
            ['target', 'About (name, email or id)', 'search'],
            ['from', 'From', 'date'],
            ['to', 'To', 'date'],
          ] as const
        ).map(([name, label, type]) => (
          <div class="field">
            <label for={`f-${name}`}>{label}</label>
            <input id={`f-${name}`} name={name} type={type} value={c.req.query(name) ?? ''} />
          </div>
        ))}
        <button type="submit">Filter</button>
      </form>
      <p class="muted list-count" data-testid="audit-count">
        {total === 0
          ? 'No events match.'
          : `${total.toLocaleString('en')} event${total === 1 ? '' : 's'}, newest first${paged ? '' : `; showing the ${shown.length} newest`}.`}
      </p>
      {shown.length ? (
        <AuditEventsTable page={page} events={shown} parties={parties} caption="Audit events" />
      ) : null}
      <nav aria-label="Pagination" class="pagination">
        {paged ? <a href={`?${params}`}>Newest events</a> : null}
        {events.length > 50 ? <a href={`?${params}&before=${shown.at(-1)!.seq}`}>Older events</a> : null}
      </nav>
    </AdminShell>,
  );
});

async function apiKeysPage(c: AdminContext, extra: { secret?: string; errors?: FieldErrors } = {}) {
  const page = await loadOrgPage(c, c.req.param('orgId')!);
  const keys = await listOrgApiKeys(useCaseContext(c, { orgId: page.org.id }));
  const errors = extra.errors ?? {};
  return c.html(
    <AdminShell
      page={page}
      title="API keys"
      section="settings"
      currentPath={orgHref(page.org.id, '/api-keys')}
    >
      {extra.secret ? (
        <Notice kind="ok">
          Copy the key now; it is not shown again: <code data-testid="api-key-secret">{extra.secret}</code>
        </Notice>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span class="visually-hidden">Revoke</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr>
              <td>{k.name}</td>
              <td>{fmt(k.createdAt)}</td>
              <td>{fmt(k.lastUsedAt)}</td>
              <td>
                {k.revokedAt ? (
                  'Revoked'
                ) : (
                  <form
                    method="post"
                    action={orgHref(page.org.id, `/api-keys/${k.id}/revoke`)}
                    class="inline"
                  >
                    <CsrfField token={page.csrf} />
                    <button type="submit" aria-label={`Revoke ${k.name}`}>
                      Revoke
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Create an API key</h2>
      <form method="post" action={orgHref(page.org.id, '/api-keys')} class="filters">
        <CsrfField token={page.csrf} />
        <Field name="name" label="Name" required error={errors.name ?? errors._form} />
        <button type="submit" class="primary">
          Create key
        </button>
      </form>
    </AdminShell>,
    Object.keys(errors).length ? 400 : 200,
  );
}

orgRoutes.get(`${O}/api-keys`, (c) => apiKeysPage(c));
orgRoutes.post(`${O}/api-keys`, async (c) => {
  const form = await readForm(c);
  const name = form.get('name').trim();
  if (!name || name.length > 100)
    return apiKeysPage(c, { errors: { name: 'Enter a name of at most 100 characters.' } });
  try {
    const { secret } = await createApiKey(useCaseContext(c, { orgId: c.req.param('orgId') }), { name });
    return apiKeysPage(c, { secret });
  } catch (error) {
    return apiKeysPage(c, { errors: formErrorsOf(error) });
  }
});
orgRoutes.post(`${O}/api-keys/:keyId/revoke`, async (c) => {
  const keysHref = orgHref(c.req.param('orgId'), '/api-keys');
  if (!isConfirmed(await readForm(c))) {
    // Revoking can't be undone: say what stops working, then act on the confirmation.
    const page = await loadOrgPage(c, c.req.param('orgId'));
    const key = (await listOrgApiKeys(useCaseContext(c, { orgId: page.org.id }))).find(
      (k) => k.id === c.req.param('keyId') && !k.revokedAt,
    );
    if (key)
      return c.html(
        <ConfirmStep
          shell={{ page, title: 'Revoke API key', section: 'settings', currentPath: keysHref }}
          action={c.req.path}
          csrf={page.csrf}
          button={`Revoke ${key.name}`}
          cancelHref={keysHref}
          explain={
            <p>
              Every script or integration using the key <strong>{key.name}</strong> is refused from now on.{' '}
              <strong>This can’t be undone</strong>: create a new key to give access again.
            </p>
          }
        />,
      );
  }
  await revokeOrgApiKey(useCaseContext(c, { orgId: c.req.param('orgId') }), { keyId: c.req.param('keyId') });
  return c.redirect(keysHref, 303);
});

async function invitePage(c: AdminContext, values = '', errors: FieldErrors = {}, done?: string) {
  const page = await loadOrgPage(c, c.req.param('orgId')!);
  return c.html(
    <AdminShell page={page} title="Invite users" section="directory" currentPath={c.req.path}>
      {done ? <Notice kind="ok">{done}</Notice> : null}
      {errors._form ? <Notice kind="error">{errors._form}</Notice> : null}
      <form method="post" action={orgHref(page.org.id, '/invite')} class="stack">
        <CsrfField token={page.csrf} />
        <div class={`field${errors.emails ? ' field-invalid' : ''}`}>
          <label for="field-emails">Email addresses</label>
          <p class="hint" id="field-emails-hint">
            One per line or separated by commas. Each gets a link to join this organization.
          </p>
          <textarea id="field-emails" name="emails" aria-describedby="field-emails-hint">
            {values}
          </textarea>
          {errors.emails ? <p class="field-error">{errors.emails}</p> : null}
        </div>
        <button type="submit" class="primary">
          Invite
        </button>
      </form>
    </AdminShell>,
    Object.keys(errors).length ? 400 : 200,
  );
}

orgRoutes.get(`${O}/invite`, (c) => invitePage(c));
orgRoutes.post(`${O}/invite`, async (c) => {
  const form = await readForm(c);
  const raw = form.get('emails');
  const emails = [
    ...new Set(
      raw
        .split(/[\s,;]+/)
        .map((e) => e.trim())
        .filter(Boolean),
    ),
  ];
  const bad = emails.filter((e) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e));
  if (emails.length === 0 || bad.length > 0 || emails.length > 100)
    return invitePage(c, raw, {
      emails:
        emails.length === 0
          ? 'Enter at least one email address.'
          : bad.length
            ? `Not an email address: ${bad.slice(0, 3).join(', ')}`
            : 'Invite at most 100 people at a time.',
    });
  try {
    const results = await inviteUsers(useCaseContext(c, { orgId: c.req.param('orgId') }), { emails });
    const invited = results.filter((r) => r.status === 'invited').length;
    return invitePage(c, '', {}, `${invited} invited; ${results.length - invited} already members.`);
  } catch (error) {
    return invitePage(c, raw, formErrorsOf(error));
  }
});
