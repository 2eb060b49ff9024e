import { Hono } from 'hono';
import { z } from 'zod';
import { listRequestTypes } from '#src/db/queries/servicedesk/request-types.queries.ts';
import { updateProfile } from '#src/domain/accounts/profile.ts';
import { addComment } from '#src/domain/servicedesk/add-comment.ts';
import { createRequest } from '#src/domain/servicedesk/create-request.ts';
import { getRequest } from '#src/domain/servicedesk/get-request.ts';
import { getServiceDesk, listServiceDesksFor } from '#src/domain/servicedesk/get-service-desk.ts';
import { articleText, searchKbArticlesFor } from '#src/domain/servicedesk/knowledge-base.ts';
import { listRequestComments } from '#src/domain/servicedesk/list-comments.ts';
import { type ListRequestsInput, listRequests } from '#src/domain/servicedesk/list-requests.ts';
import { loadPeople } from '#src/domain/servicedesk/people.ts';
import { listRequestParticipants } from '#src/domain/servicedesk/request-participants.ts';
import type { AppEnv } from '#src/web/http.ts';
import { rejectNulInUrl } from '#src/web/path-guards.ts';
import { Field } from '#src/web/ui/fields.tsx';
import { type FieldErrors, formErrorsOf, readForm, validateForm } from '#src/web/ui/forms.ts';
import { Notice } from '#src/web/ui/layout.tsx';
import { csrfOf, type PortalContext, portalUserOf, siteOf } from './portal-context.ts';
import { PortalShell, portalHref } from './portal-shell.tsx';
import {
  CommentBodyField,
  commentBody,
  listStartOf,
  PageLinks,
  REQUEST_PAGE_SIZE,
  REQUEST_STATUS_FILTER,
} from './request-views.tsx';

/** The customer portal: help center, raise a request, my requests, request detail, knowledge base, profile. */
export const portalRoutes = new Hono<AppEnv>();

const P = '/sites/:site/portal';
const PUBLIC_PAGES =
  /^\/sites\/[^/]+\/portal\/(login|signup|reset-password|forgot-password|verify-email)(\/|$)/;

portalRoutes.use(`${P}/*`, rejectNulInUrl);
portalRoutes.use(P, rejectNulInUrl);

/** Signed-in pages send anonymous browsers to the portal login, and back afterwards. */
portalRoutes.use(`${P}/*`, async (c, next) => {
  if (PUBLIC_PAGES.test(c.req.path)) return next();
  const site = await siteOf(c);
  const user = await portalUserOf(c, site);
  if (!user && c.req.method === 'GET')
    return c.redirect(`${portalHref(site.name, '/login')}?next=${encodeURIComponent(c.req.path)}`);
  return next();
});
portalRoutes.use(P, async (c, next) => {
  const site = await siteOf(c);
  if (!(await portalUserOf(c, site))) return c.redirect(portalHref(site.name, '/login'));
  return next();
});

async function frame(c: PortalContext) {
  const site = await siteOf(c);
  const user = await portalUserOf(c, site);
  return { site, user, csrf: csrfOf(c), who: user ? user.name : undefined };
}

const fmt = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

/** The help center: the portals (service desks) this person can reach. */
portalRoutes.get(P, async (c) => {
  const { site, who, csrf } = await frame(c);
  const desks = await listServiceDesksFor(c.get('services'), c.get('actor'), site, { start: 0, limit: 100 });
  return c.html(
    <PortalShell site={site} title="Help center" who={who} csrf={csrf} current="home">
      <form method="get" action={portalHref(site.name, '/kb')} class="filters">
        <div class="field">
          <label for="kb-q">Search the knowledge base</label>
          <input id="kb-q" type="search" name="q" />
        </div>
        <button type="submit">Search</button>
      </form>
      <h2>Portals</h2>
      {desks.length === 0 ? <p>No portals are open to you yet.</p> : null}
      <ul class="card-list">
        {desks.map((desk) => (
          <li class="card">
            <h3>
              <a href={portalHref(site.name, `/desks/${desk.id}`)}>{desk.portalName}</a>
            </h3>
            <p class="muted">{desk.portalDescription}</p>
          </li>
        ))}
      </ul>
    </PortalShell>,
  );
});

/** One portal: its request types. */
portalRoutes.get(`${P}/desks/:deskId`, async (c) => {
  const { site, who, csrf } = await frame(c);
  const services = c.get('services');
  const { viewer, desk } = await getServiceDesk(services, c.get('actor'), site, c.req.param('deskId'));
  const types = await listRequestTypes(services.db, desk.id, {
    includeRestricted: viewer.role === 'agent',
    start: 0,
    limit: 200,
  });
  return c.html(
    <PortalShell site={site} title={desk.portalName} who={who} csrf={csrf} current="home">
      <p>{desk.portalDescription}</p>
      <h2>What can we help you with?</h2>
      <ul class="card-list">
        {types
          .filter((t) => !t.isHidden)
          .map((t) => (
            <li class="card">
              <h3>
                <a href={portalHref(site.name, `/desks/${desk.id}/create/${t.id}`)}>{t.name}</a>
              </h3>
              <p class="muted">{t.description}</p>
            </li>
          ))}
      </ul>
    </PortalShell>,
  );
});

const ZRaise = z.object({
  summary: z.string().trim().min(1, 'Enter a summary.').max(255, 'Use at most 255 characters.'),
  description: z.string().max(32_000, 'Use at most 32,000 characters.'),
});

async function raiseForm(c: PortalContext, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const { site, who, csrf } = await frame(c);
  const services = c.get('services');
  const { viewer, desk } = await getServiceDesk(services, c.get('actor'), site, c.req.param('deskId')!);
  const typeId = Number(c.req.param('typeId'));
  const types = await listRequestTypes(services.db, desk.id, {
    includeRestricted: viewer.role === 'agent',
    start: 0,
    limit: 200,
  });
  const type = types.find((t) => t.id === typeId);
  if (!type) return c.notFound();
  return c.html(
    <PortalShell site={site} title={type.name} who={who} csrf={csrf} current="home">
      <p class="muted">
        <a href={portalHref(site.name, `/desks/${desk.id}`)}>{desk.portalName}</a>
      </p>
      {type.helpText ? <p>{type.helpText}</p> : null}
      <form
        method="post"
        class="stack card"
        action={portalHref(site.name, `/desks/${desk.id}/create/${type.id}`)}
      >
        <input type="hidden" name="_csrf" value={csrf} />
        {errors._form ? <Notice kind="error">{errors._form}</Notice> : null}
        <Field name="summary" label="Summary" value={values.summary} required error={errors.summary} />
        <div class={`field${errors.description ? ' field-invalid' : ''}`}>
          <label for="field-description">Description</label>
          <textarea
            id="field-description"
            name="description"
            aria-invalid={errors.description ? 'true' : undefined}
          >
            {values.description ?? ''}
          </textarea>
          {errors.description ? <p class="field-error">{errors.description}</p> : null}
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            Send
          </button>
        </div>
      </form>
    </PortalShell>,
    Object.keys(errors).length ? 400 : 200,
  );
}

portalRoutes.get(`${P}/desks/:deskId/create/:typeId`, (c) => raiseForm(c));

portalRoutes.post(`${P}/desks/:deskId/create/:typeId`, async (c) => {
  const form = await readForm(c);
  const values = { summary: form.get('summary'), description: form.get('description') };
  const v = validateForm(ZRaise, values);
  if (!v.ok) return raiseForm(c, values, v.errors);
  const site = await siteOf(c);
  try {
    const { request } = await createRequest(c.get('services'), c.get('actor'), site, {
      serviceDeskId: c.req.param('deskId'),
      requestTypeId: Number(c.req.param('typeId')),
      summary: v.data.summary,
      description: v.data.description,
    });
    return c.redirect(portalHref(site.name, `/requests/${request.issueKey}?created=1`), 303);
  } catch (error) {
    return raiseForm(c, values, formErrorsOf(error));
  }
});

const OWNERSHIP: Record<string, { label: string; value: ListRequestsInput['requestOwnership'] }> = {
  all: { label: 'All my requests', value: undefined },
  mine: { label: 'Created by me', value: ['OWNED_REQUESTS'] },
  shared: { label: 'Shared with me', value: ['PARTICIPATED_REQUESTS'] },
  organization: { label: 'My organizations', value: ['ORGANIZATION'] },
};

/** My requests, with the ownership and open/closed filters. */
portalRoutes.get(`${P}/requests`, async (c) => {
  const { site, who, csrf } = await frame(c);
  const ownershipKey = OWNERSHIP[c.req.query('ownership') ?? ''] ? c.req.query('ownership')! : 'all';
  const statusKey = REQUEST_STATUS_FILTER[c.req.query('status') ?? ''] ? c.req.query('status')! : 'any';
  const start = listStartOf(c.req.query('start'));
  const limit = REQUEST_PAGE_SIZE;
  const { viewer, requests } = await listRequests(c.get('services'), c.get('actor'), site, {
    requestOwnership: OWNERSHIP[ownershipKey]!.value,
    requestStatus: REQUEST_STATUS_FILTER[statusKey],
    searchTerm: c.req.query('q')?.slice(0, 200) || undefined,
    start,
    limit,
  });
  const shown = requests.slice(0, limit);
  const people = await loadPeople(
    c.get('services').db,
    viewer,
    shown.map((r) => r.reporterId),
  );
  const qs = (extra: Record<string, string>) =>
    `?${new URLSearchParams({ ownership: ownershipKey, status: statusKey, ...extra })}`;
  return c.html(
    <PortalShell site={site} title="Requests" who={who} csrf={csrf} current="requests">
      <form method="get" class="filters" action={portalHref(site.name, '/requests')}>
        <div class="field">
          <label for="ownership">Show</label>
          <select id="ownership" name="ownership">
            {Object.entries(OWNERSHIP).map(([key, o]) => (
              <option value={key} selected={key === ownershipKey}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="any" selected={statusKey === 'any'}>
              Any status
            </option>
            <option value="open" selected={statusKey === 'open'}>
              Open requests
            </option>
            <option value="closed" selected={statusKey === 'closed'}>
              Closed requests
            </option>
          </select>
        </div>
        <div class="field">
          <label for="q">Search</label>
          <input id="q" type="search" name="q" value={c.req.query('q') ?? ''} />
        </div>
        <button type="submit">Apply</button>
      </form>
      {shown.length === 0 ? (
        <p>No requests found.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Your requests</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Summary</th>
                <th scope="col">Status</th>
                <th scope="col">Requester</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr>
                  <td>
                    <a href={portalHref(site.name, `/requests/${r.issueKey}`)}>{r.issueKey}</a>
                  </td>
                  <td>{r.summary}</td>
                  <td>
                    <span class="badge">{r.status}</span>
                  </td>
                  <td>{people.get(r.reporterId)?.displayName ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PageLinks start={start} limit={limit} fetched={requests.length} href={qs} />
    </PortalShell>,
  );
});

async function requestPage(c: PortalContext, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const { site, who, csrf } = await frame(c);
  const services = c.get('services');
  const actor = c.get('actor');
  const key = c.req.param('key')!;
  const { viewer, request } = await getRequest(services, actor, site, key);
  // The portal shows public comments only, to agents as well (what the customer sees).
  const [{ comments }, participants] = await Promise.all([
    listRequestComments(services, actor, site, { issueIdOrKey: key, internal: false, start: 0, limit: 500 }),
    listRequestParticipants(services, actor, site, { issueIdOrKey: key, start: 0, limit: 100 }),
  ]);
  const people = await loadPeople(services.db, viewer, [
    request.reporterId,
    ...comments.map((cm) => cm.authorId),
  ]);
  const created = c.req.query('created') === '1';
  return c.html(
    <PortalShell
      site={site}
      title={`${request.issueKey}: ${request.summary}`}
      who={who}
      csrf={csrf}
      current="requests"
    >
      {created ? <Notice kind="ok">Your request was sent. We’ll reply here.</Notice> : null}
      <dl class="props">
        <dt>Status</dt>
        <dd>
          <span class="badge" data-testid="request-status">
            {request.status}
          </span>
        </dd>
        <dt>Raised by</dt>
        <dd>{people.get(request.reporterId)?.displayName ?? '—'}</dd>
        <dt>Shared with</dt>
        <dd>{participants.length ? participants.map((p) => p.displayName).join(', ') : 'Nobody else'}</dd>
      </dl>
      {request.description ? (
        <section aria-label="Description">
          <h2>Description</h2>
          <p class="pre">{request.description}</p>
        </section>
      ) : null}
      <h2>Activity</h2>
      {comments.length === 0 ? <p class="muted">No replies yet.</p> : null}
      {comments.map((cm) => (
        <article class="comment" data-testid="comment">
          <header>
            <strong>{people.get(cm.authorId)?.displayName ?? 'Someone'}</strong> · {fmt(cm.createdAt)}
          </header>
          <p class="pre">{cm.body}</p>
        </article>
      ))}
      <form
        method="post"
        class="stack"
        action={portalHref(site.name, `/requests/${request.issueKey}/comment`)}
      >
        <input type="hidden" name="_csrf" value={csrf} />
        {errors._form ? <Notice kind="error">{errors._form}</Notice> : null}
        <CommentBodyField label="Add a comment" value={values.body} error={errors.body} />
        <button type="submit" class="primary">
          Comment
        </button>
      </form>
    </PortalShell>,
    Object.keys(errors).length ? 400 : 200,
  );
}

portalRoutes.get(`${P}/requests/:key`, (c) => requestPage(c));

const ZComment = z.object({
  body: commentBody,
});

portalRoutes.post(`${P}/requests/:key/comment`, async (c) => {
  const form = await readForm(c);
  const values = { body: form.get('body') };
  const v = validateForm(ZComment, values);
  if (!v.ok) return requestPage(c, values, v.errors);
  const site = await siteOf(c);
  try {
    await addComment(c.get('services'), c.get('actor'), site, {
      issueIdOrKey: c.req.param('key'),
      body: v.data.body,
      isPublic: true,
    });
  } catch (error) {
    return requestPage(c, values, formErrorsOf(error));
  }
  return c.redirect(portalHref(site.name, `/requests/${encodeURIComponent(c.req.param('key'))}`), 303);
});

/** Knowledge base search; each result shows its article. */
portalRoutes.get(`${P}/kb`, async (c) => {
  const { site, who, csrf } = await frame(c);
  const q = (c.req.query('q') ?? '').trim().slice(0, 200);
  const articles = q
    ? await searchKbArticlesFor(c.get('services').db, c.get('actor'), site, { query: q, start: 0, limit: 50 })
    : [];
  return c.html(
    <PortalShell site={site} title="Knowledge base" who={who} csrf={csrf} current="kb">
      <form method="get" class="filters" action={portalHref(site.name, '/kb')}>
        <div class="field">
          <label for="kb-q">Search articles</label>
          <input id="kb-q" type="search" name="q" value={q} />
        </div>
        <button type="submit">Search</button>
      </form>
      {q && articles.length === 0 ? <p>No articles match “{q}”.</p> : null}
      {articles.slice(0, 50).map((a) => (
        <details class="card article">
          <summary>
            <strong>{a.title}</strong>
            <br />
            <span class="muted">{articleText(a.bodyHtml).slice(0, 160)}</span>
          </summary>
          {/* bodyHtml is sanitized by the domain when the article is written. */}
          <div class="article-body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
        </details>
      ))}
    </PortalShell>,
  );
});

async function profilePage(c: PortalContext, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const { site, user, who, csrf } = await frame(c);
  const saved = c.req.query('saved') === '1';
  return c.html(
    <PortalShell site={site} title="Profile" who={who} csrf={csrf} current="profile">
      {saved ? <Notice kind="ok">Your profile was saved.</Notice> : null}
      <dl class="props">
        <dt>Name</dt>
        <dd>{user?.name}</dd>
        <dt>Email</dt>
        <dd>{user?.email}</dd>
        <dt>Account type</dt>
        <dd>{user?.kind === 'customer' ? `Portal-only customer of ${site.name}` : 'Atlassian account'}</dd>
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
    </PortalShell>,
    Object.keys(errors).length ? 400 : 200,
  );
}

portalRoutes.get(`${P}/profile`, (c) => profilePage(c));

portalRoutes.post(`${P}/profile`, async (c) => {
  const form = await readForm(c);
  const values = { name: form.get('name').trim() };
  if (!values.name || values.name.length > 255)
    return profilePage(c, values, { name: 'Enter a name of at most 255 characters.' });
  try {
    await updateProfile(c.get('services'), c.get('actor'), { name: values.name });
  } catch (error) {
    return profilePage(c, values, formErrorsOf(error));
  }
  const site = await siteOf(c);
  return c.redirect(`${portalHref(site.name, '/profile')}?saved=1`, 303);
});
