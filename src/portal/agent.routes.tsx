import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { z } from 'zod';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { addComment } from '#src/domain/servicedesk/add-comment.ts';
import { assignRequest } from '#src/domain/servicedesk/assign-request.ts';
import { assertAgent } from '#src/domain/servicedesk/desk-viewer.ts';
import { getRequest } from '#src/domain/servicedesk/get-request.ts';
import { listServiceDesksFor } from '#src/domain/servicedesk/get-service-desk.ts';
import { listRequestComments } from '#src/domain/servicedesk/list-comments.ts';
import { listRequests } from '#src/domain/servicedesk/list-requests.ts';
import { loadPeople, type Person } from '#src/domain/servicedesk/people.ts';
import { listRequestParticipants } from '#src/domain/servicedesk/request-participants.ts';
import { listRequestTransitions, transitionRequest } from '#src/domain/servicedesk/transition-request.ts';
import type { AppEnv } from '#src/web/http.ts';
import { rejectNulInUrl } from '#src/web/path-guards.ts';
import { CsrfField } from '#src/web/ui/fields.tsx';
import { type FieldErrors, formErrorsOf, readForm, validateForm } from '#src/web/ui/forms.ts';
import { Document, Notice } from '#src/web/ui/layout.tsx';
import { csrfOf, type PortalContext, portalUserOf, siteOf } from './portal-context.ts';
import { portalHref } from './portal-shell.tsx';
import {
  CommentBodyField,
  commentBody,
  listStartOf,
  PageLinks,
  REQUEST_PAGE_SIZE,
  REQUEST_STATUS_FILTER,
} from './request-views.tsx';

/** The agent queue: requests of the site's service desks, detail with public reply and internal note. */
export const agentRoutes = new Hono<AppEnv>();

const A = '/sites/:site/agent';
const agentHref = (siteName: string, path = '') => `/sites/${encodeURIComponent(siteName)}/agent${path}`;

/** Agents log in with their account through the portal login, then come back here. */
const requireLogin = async (c: PortalContext, next: () => Promise<void>) => {
  if (c.get('actor').type === 'account') return next();
  const site = await siteOf(c);
  if (c.req.method === 'GET')
    return c.redirect(`${portalHref(site.name, '/login')}?next=${encodeURIComponent(c.req.path)}`);
  return next();
};
agentRoutes.use(A, rejectNulInUrl);
agentRoutes.use(`${A}/*`, rejectNulInUrl);
agentRoutes.use(A, requireLogin);
agentRoutes.use(`${A}/*`, requireLogin);

const AgentShell: FC<{ site: SiteRow; title: string; who: string; csrf: string; children?: unknown }> = ({
  site,
  title,
  who,
  csrf,
  children,
}) => (
  <Document title={`${title} · ${site.name} agent queue`} bodyClass="agent">
    <header class="topbar">
      <a class="brand" href={agentHref(site.name)}>
        {site.name} <span class="muted">queue</span>
      </a>
      <nav aria-label="Agent" class="tabs">
        <ul>
          <li>
            <a href={agentHref(site.name)}>All requests</a>
          </li>
          <li>
            <a href={portalHref(site.name)}>Help center</a>
          </li>
        </ul>
      </nav>
      <div class="account-menu">
        <span>{who}</span>
        <form method="post" action={portalHref(site.name, '/logout')} class="inline">
          <CsrfField token={csrf} />
          <button type="submit" class="link">
            Log out
          </button>
        </form>
      </div>
    </header>
    <div class="no-nav">
      <main id="main">
        <h1>{title}</h1>
        {children as never}
      </main>
    </div>
  </Document>
);

const personLabel = (p: Person | undefined) =>
  p
    ? `${p.displayName} (${p.accountType === 'customer' ? 'portal-only customer' : 'Atlassian account'})`
    : '—';

agentRoutes.get(A, async (c) => {
  const site = await siteOf(c);
  const services = c.get('services');
  const actor = c.get('actor');
  const statusKey = REQUEST_STATUS_FILTER[c.req.query('status') ?? ''] ? c.req.query('status')! : 'open';
  const deskParam = Number(c.req.query('desk'));
  const serviceDeskId = Number.isInteger(deskParam) && deskParam > 0 ? deskParam : undefined;
  const q = (c.req.query('q') ?? '').trim().slice(0, 200);
  const start = listStartOf(c.req.query('start'));
  const limit = REQUEST_PAGE_SIZE;
  const { viewer, requests } = await listRequests(services, actor, site, {
    requestStatus: REQUEST_STATUS_FILTER[statusKey],
    serviceDeskId,
    searchTerm: q || undefined,
    start,
    limit,
  });
  assertAgent(viewer);
  const desks = await listServiceDesksFor(services, actor, site, { start: 0, limit: 100 });
  const shown = requests.slice(0, limit);
  const people = await loadPeople(services.db, viewer, [
    ...shown.map((r) => r.reporterId),
    ...shown.map((r) => r.assigneeId),
  ]);
  const user = await portalUserOf(c, site);
  const qs = (extra: Record<string, string>) =>
    `?${new URLSearchParams({ status: statusKey, ...(serviceDeskId ? { desk: String(serviceDeskId) } : {}), ...(q ? { q } : {}), ...extra })}`;
  return c.html(
    <AgentShell site={site} title="Requests" who={user?.name ?? ''} csrf={csrfOf(c)}>
      <form method="get" class="filters" action={agentHref(site.name)}>
        <div class="field">
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="open" selected={statusKey === 'open'}>
              Open
            </option>
            <option value="closed" selected={statusKey === 'closed'}>
              Closed
            </option>
            <option value="any" selected={statusKey === 'any'}>
              Any
            </option>
          </select>
        </div>
        <div class="field">
          <label for="desk">Service desk</label>
          <select id="desk" name="desk">
            <option value="">All</option>
            {desks.map((d) => (
              <option value={String(d.id)} selected={d.id === serviceDeskId}>
                {d.projectName}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="q">Search</label>
          <input id="q" type="search" name="q" value={q} />
        </div>
        <button type="submit">Apply</button>
      </form>
      {shown.length === 0 ? (
        <p>No requests match.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Requests</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Summary</th>
                <th scope="col">Status</th>
                <th scope="col">Reporter</th>
                <th scope="col">Assignee</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr>
                  <td>
                    <a href={agentHref(site.name, `/requests/${r.issueKey}`)}>{r.issueKey}</a>
                  </td>
                  <td>{r.summary}</td>
                  <td>
                    <span class="badge">{r.status}</span>
                  </td>
                  <td>{personLabel(people.get(r.reporterId))}</td>
                  <td>{r.assigneeId ? people.get(r.assigneeId)?.displayName : 'Unassigned'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PageLinks start={start} limit={limit} fetched={requests.length} href={qs} />
    </AgentShell>,
  );
});

async function detail(c: PortalContext, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const site = await siteOf(c);
  const services = c.get('services');
  const actor = c.get('actor');
  const key = c.req.param('key')!;
  const { viewer, request } = await getRequest(services, actor, site, key);
  assertAgent(viewer);
  const [{ comments }, participants, transitions] = await Promise.all([
    listRequestComments(services, actor, site, { issueIdOrKey: key, start: 0, limit: 500 }),
    listRequestParticipants(services, actor, site, { issueIdOrKey: key, start: 0, limit: 100 }),
    listRequestTransitions(services, actor, site, key),
  ]);
  const people = await loadPeople(services.db, viewer, [
    request.reporterId,
    request.assigneeId,
    ...comments.map((cm) => cm.authorId),
  ]);
  const user = await portalUserOf(c, site);
  const csrf = csrfOf(c);
  const base = agentHref(site.name, `/requests/${request.issueKey}`);
  const reporter = people.get(request.reporterId);
  const assignee = request.assigneeId ? people.get(request.assigneeId) : undefined;
  const me = actor.type === 'account' ? actor.accountId : '';
  return c.html(
    <AgentShell
      site={site}
      title={`${request.issueKey}: ${request.summary}`}
      who={user?.name ?? ''}
      csrf={csrf}
    >
      {errors._form ? <Notice kind="error">{errors._form}</Notice> : null}
      <dl class="props">
        <dt>Status</dt>
        <dd>
          <span class="badge" data-testid="request-status">
            {request.status}
          </span>
        </dd>
        <dt>Reporter</dt>
        <dd data-testid="reporter">
          {reporter?.displayName ?? '—'}{' '}
          <span class={`badge ${reporter?.accountType === 'customer' ? 'badge-warn' : 'badge-info'}`}>
            {reporter?.accountType === 'customer' ? 'Portal-only customer' : 'Atlassian account'}
          </span>{' '}
          <span class="muted">{reporter?.emailAddress}</span>
        </dd>
        <dt>Assignee</dt>
        <dd data-testid="assignee">{assignee?.displayName ?? 'Unassigned'}</dd>
        <dt>Participants</dt>
        <dd>{participants.length ? participants.map((p) => p.displayName).join(', ') : 'None'}</dd>
      </dl>
      <div class="actions">
        <form method="post" action={`${base}/assign`} class="inline">
          <CsrfField token={csrf} />
          <input
            type="hidden"
            name="assignee"
            value={request.assigneeId && assignee?.accountId === me ? '' : me}
          />
          <button type="submit">
            {request.assigneeId && assignee?.accountId === me ? 'Unassign' : 'Assign to me'}
          </button>
        </form>
        {transitions.length ? (
          <form method="post" action={`${base}/transition`} class="inline">
            <CsrfField token={csrf} />
            <label for="transition" class="visually-hidden">
              Change status
            </label>
            <select id="transition" name="transitionId">
              {transitions.map((t) => (
                <option value={t.id}>{`${t.name} → ${t.to}`}</option>
              ))}
            </select>{' '}
            <button type="submit">Change status</button>
          </form>
        ) : null}
      </div>
      {request.description ? (
        <>
          <h2>Description</h2>
          <p class="pre">{request.description}</p>
        </>
      ) : null}
      <h2>Activity</h2>
      {comments.map((cm) => (
        <article
          class={`comment${cm.isPublic ? '' : ' comment-internal'}`}
          data-testid={cm.isPublic ? 'public-comment' : 'internal-comment'}
        >
          <header>
            <strong>{people.get(cm.authorId)?.displayName ?? 'Someone'}</strong> ·{' '}
            {cm.isPublic ? 'Reply to customer' : 'Internal note'} ·{' '}
            {cm.createdAt.toISOString().slice(0, 16).replace('T', ' ')}
          </header>
          <p class="pre">{cm.body}</p>
        </article>
      ))}
      <form method="post" action={`${base}/comment`} class="stack card">
        <CsrfField token={csrf} />
        <CommentBodyField label="Comment" value={values.body} error={errors.body} />
        <div class="actions">
          <button type="submit" name="visibility" value="public" class="primary">
            Reply to customer
          </button>
          <button type="submit" name="visibility" value="internal">
            Add internal note
          </button>
        </div>
      </form>
    </AgentShell>,
    Object.keys(errors).length ? 400 : 200,
  );
}

agentRoutes.get(`${A}/requests/:key`, (c) => detail(c));

const ZComment = z.object({
  body: commentBody,
  visibility: z.enum(['public', 'internal'], { message: 'Choose reply or internal note.' }),
});

agentRoutes.post(`${A}/requests/:key/comment`, async (c) => {
  const form = await readForm(c);
  const values = { body: form.get('body'), visibility: form.get('visibility') || 'public' };
  const v = validateForm(ZComment, values);
  if (!v.ok) return detail(c, values, v.errors);
  const site = await siteOf(c);
  try {
    await addComment(c.get('services'), c.get('actor'), site, {
      issueIdOrKey: c.req.param('key'),
      body: v.data.body,
      isPublic: v.data.visibility === 'public',
    });
  } catch (error) {
    return detail(c, values, formErrorsOf(error));
  }
  return c.redirect(agentHref(site.name, `/requests/${encodeURIComponent(c.req.param('key'))}`), 303);
});

agentRoutes.post(`${A}/requests/:key/assign`, async (c) => {
  const form = await readForm(c);
  const site = await siteOf(c);
  try {
    await assignRequest(c.get('services'), c.get('actor'), site, {
      issueIdOrKey: c.req.param('key'),
      assigneeAccountId: form.get('assignee') || null,
    });
  } catch (error) {
    return detail(c, {}, formErrorsOf(error));
  }
  return c.redirect(agentHref(site.name, `/requests/${encodeURIComponent(c.req.param('key'))}`), 303);
});

agentRoutes.post(`${A}/requests/:key/transition`, async (c) => {
  const form = await readForm(c);
  const site = await siteOf(c);
  try {
    await transitionRequest(c.get('services'), c.get('actor'), site, {
      issueIdOrKey: c.req.param('key'),
      transitionId: form.get('transitionId'),
    });
  } catch (error) {
    return detail(c, {}, formErrorsOf(error));
  }
  return c.redirect(agentHref(site.name, `/requests/${encodeURIComponent(c.req.param('key'))}`), 303);
});
