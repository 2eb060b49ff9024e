import type { FC } from 'hono/jsx';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { getRequest } from '#src/domain/servicedesk/get-request.ts';
import type { listServiceDesksFor } from '#src/domain/servicedesk/get-service-desk.ts';
import type { listRequestComments } from '#src/domain/servicedesk/list-comments.ts';
import type { listRequests } from '#src/domain/servicedesk/list-requests.ts';
import type { loadPeople, Person } from '#src/domain/servicedesk/people.ts';
import type { listRequestParticipants } from '#src/domain/servicedesk/request-participants.ts';
import type { listRequestTransitions } from '#src/domain/servicedesk/transition-request.ts';
import { CsrfField } from '#src/web/ui/fields.tsx';
import type { FieldErrors } from '#src/web/ui/forms.ts';
import { Document, Notice } from '#src/web/ui/layout.tsx';
import { Markdown } from '#src/web/ui/markdown.tsx';
import type { PortalUser } from './portal-context.ts';
import { portalHref } from './portal-shell.tsx';
import type { RequestExtras, RequestSla } from './request-extras.ts';
import {
  ApprovalsSection,
  AttachmentsSection,
  FeedbackSection,
  SlaSection,
} from './request-extras.views.tsx';
import { CommentBodyField, PageLinks } from './request-views.tsx';

export const agentHref = (siteName: string, path = '') =>
  `/sites/${encodeURIComponent(siteName)}/agent${path}`;

/** The agent queue's frame: its own top bar, the signed-in agent and logout. */
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
        <a href="/admin?choose" title="Switch to the admin console, another queue or a help center">
          Switch
        </a>
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
    ? `${p.displayName} (${p.accountType === 'customer' ? 'portal-only customer' : 'Gatehouse account'})`
    : '—';

/** The queue: filters, the requests of the desks this agent works on, paging. */
export const QueueView: FC<{
  site: SiteRow;
  user: PortalUser | undefined;
  csrf: string;
  statusKey: string;
  desks: Awaited<ReturnType<typeof listServiceDesksFor>>;
  serviceDeskId: number | undefined;
  q: string;
  shown: Awaited<ReturnType<typeof listRequests>>['requests'];
  requests: unknown[];
  people: Awaited<ReturnType<typeof loadPeople>>;
  start: number;
  limit: number;
  qs: (extra: Record<string, string>) => string;
}> = ({
  site,
  user,
  csrf,
  statusKey,
  desks,
  serviceDeskId,
  q,
  shown,
  requests,
  people,
  start,
  limit,
  qs,
}) => {
  return (
    <AgentShell site={site} title="Requests" who={user?.name ?? ''} csrf={csrf}>
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
    </AgentShell>
  );
};

/** A request as an agent works it: people, assign, transition, comments and internal notes. */
export const AgentRequestView: FC<{
  site: SiteRow;
  user: PortalUser | undefined;
  csrf: string;
  request: Awaited<ReturnType<typeof getRequest>>['request'];
  reporter: Person | undefined;
  assignee: Person | undefined;
  participants: Awaited<ReturnType<typeof listRequestParticipants>>;
  transitions: Awaited<ReturnType<typeof listRequestTransitions>>;
  comments: Awaited<ReturnType<typeof listRequestComments>>['comments'];
  people: Awaited<ReturnType<typeof loadPeople>>;
  extras: RequestExtras;
  sla: RequestSla;
  me: string;
  base: string;
  values: Record<string, string>;
  errors: FieldErrors;
}> = ({
  site,
  user,
  csrf,
  request,
  reporter,
  assignee,
  participants,
  transitions,
  comments,
  people,
  extras,
  sla,
  me,
  base,
  values,
  errors,
}) => {
  return (
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
            {reporter?.accountType === 'customer' ? 'Portal-only customer' : 'Gatehouse account'}
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
      <SlaSection metrics={sla} />
      <ApprovalsSection approvals={extras.approvals} action={`${base}/approvals`} csrf={csrf} />
      {request.description ? (
        <>
          <h2>Description</h2>
          <Markdown text={request.description} testId="request-description" />
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
          <Markdown text={cm.body} />
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
      <AttachmentsSection
        siteName={site.name}
        issueKey={request.issueKey}
        attachments={extras.attachments}
        action={`${base}/attachments`}
        csrf={csrf}
        agent={true}
        error={errors.file}
      />
      <FeedbackSection feedback={extras.feedback} canRate={false} action="" csrf={csrf} />
    </AgentShell>
  );
};
