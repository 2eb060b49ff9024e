import type { FC } from 'hono/jsx';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { getRequest } from '#src/domain/servicedesk/get-request.ts';
import type { getServiceDesk, listServiceDesksFor } from '#src/domain/servicedesk/get-service-desk.ts';
import { articleText, type searchKbArticlesFor } from '#src/domain/servicedesk/knowledge-base.ts';
import type { listRequestComments } from '#src/domain/servicedesk/list-comments.ts';
import type { listDeskRequestTypes } from '#src/domain/servicedesk/list-request-types.ts';
import type { ListRequestsInput, listRequests } from '#src/domain/servicedesk/list-requests.ts';
import type { loadPeople } from '#src/domain/servicedesk/people.ts';
import type { listRequestParticipants } from '#src/domain/servicedesk/request-participants.ts';
import { Field } from '#src/web/ui/fields.tsx';
import type { FieldErrors } from '#src/web/ui/forms.ts';
import { Notice } from '#src/web/ui/layout.tsx';
import { Markdown } from '#src/web/ui/markdown.tsx';
import type { PortalUser } from './portal-context.ts';
import { PortalShell, portalHref } from './portal-shell.tsx';
import type { RequestExtras } from './request-extras.ts';
import { ApprovalsSection, AttachmentsSection, FeedbackSection } from './request-extras.views.tsx';
import { CommentBodyField, PageLinks } from './request-views.tsx';

type ServiceDesk = Awaited<ReturnType<typeof getServiceDesk>>['desk'];
type RequestTypes = Awaited<ReturnType<typeof listDeskRequestTypes>>['types'];

const fmt = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

export const OWNERSHIP: Record<string, { label: string; value: ListRequestsInput['requestOwnership'] }> = {
  all: { label: 'All my requests', value: undefined },
  mine: { label: 'Created by me', value: ['OWNED_REQUESTS'] },
  shared: { label: 'Shared with me', value: ['PARTICIPATED_REQUESTS'] },
  organization: { label: 'My organizations', value: ['ORGANIZATION'] },
};

/** The help center: the portals (service desks) this person can reach. */
export const HelpCenterView: FC<{
  site: SiteRow;
  who: string | undefined;
  csrf: string;
  desks: Awaited<ReturnType<typeof listServiceDesksFor>>;
  isAgent: boolean;
  otherIdentity: 'account' | 'portal-only' | undefined;
}> = ({ site, who, csrf, desks, isAgent, otherIdentity }) => {
  return (
    <PortalShell site={site} title="Help center" who={who} csrf={csrf} current="home">
      {isAgent ? (
        <p>
          You are an agent on {site.name}:{' '}
          <a href={`/sites/${encodeURIComponent(site.name)}/agent`}>open the queue</a>.
        </p>
      ) : null}
      {otherIdentity === 'account' ? (
        <Notice kind="warn">
          <span data-testid="duplicate-hint">
            You also have a Gatehouse account with this email. Requests you send while logged in here stay
            with this help-center profile, apart from your account’s. Ask the {site.name} admins to migrate
            this profile to your account, then log in with the account’s password.
          </span>
        </Notice>
      ) : otherIdentity === 'portal-only' ? (
        <Notice kind="warn">
          <span data-testid="duplicate-hint">
            You also have a portal-only profile on this help center with this email. Its requests don’t show
            here until the {site.name} admins migrate it to your account.
          </span>
        </Notice>
      ) : null}
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
    </PortalShell>
  );
};

/** One portal: its request types. */
export const DeskView: FC<{
  site: SiteRow;
  who: string | undefined;
  csrf: string;
  desk: ServiceDesk;
  types: RequestTypes;
}> = ({ site, who, csrf, desk, types }) => {
  return (
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
    </PortalShell>
  );
};

/** The form that raises a request of one type. */
export const RaiseRequestView: FC<{
  site: SiteRow;
  who: string | undefined;
  csrf: string;
  desk: ServiceDesk;
  type: RequestTypes[number];
  values: Record<string, string>;
  errors: FieldErrors;
}> = ({ site, who, csrf, desk, type, values, errors }) => {
  return (
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
    </PortalShell>
  );
};

/** My requests, with the ownership and open/closed filters. */
export const RequestsListView: FC<{
  site: SiteRow;
  who: string | undefined;
  csrf: string;
  ownershipKey: string;
  statusKey: string;
  searchText: string;
  start: number;
  limit: number;
  requests: unknown[];
  shown: Awaited<ReturnType<typeof listRequests>>['requests'];
  people: Awaited<ReturnType<typeof loadPeople>>;
  qs: (extra: Record<string, string>) => string;
}> = ({
  site,
  who,
  csrf,
  ownershipKey,
  statusKey,
  searchText,
  start,
  limit,
  requests,
  shown,
  people,
  qs,
}) => {
  return (
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
          <input id="q" type="search" name="q" value={searchText} />
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
    </PortalShell>
  );
};

/** A request as its customer sees it: status, people, public comments, the reply form. */
export const RequestView: FC<{
  site: SiteRow;
  who: string | undefined;
  csrf: string;
  request: Awaited<ReturnType<typeof getRequest>>['request'];
  comments: Awaited<ReturnType<typeof listRequestComments>>['comments'];
  participants: Awaited<ReturnType<typeof listRequestParticipants>>;
  people: Awaited<ReturnType<typeof loadPeople>>;
  extras: RequestExtras;
  canRate: boolean;
  created: boolean;
  values: Record<string, string>;
  errors: FieldErrors;
}> = ({
  site,
  who,
  csrf,
  request,
  comments,
  participants,
  people,
  extras,
  canRate,
  created,
  values,
  errors,
}) => {
  const base = portalHref(site.name, `/requests/${request.issueKey}`);
  return (
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
          <Markdown text={request.description} testId="request-description" />
        </section>
      ) : null}
      <h2>Activity</h2>
      {comments.length === 0 ? <p class="muted">No replies yet.</p> : null}
      {comments.map((cm) => (
        <article class="comment" data-testid="comment">
          <header>
            <strong>{people.get(cm.authorId)?.displayName ?? 'Someone'}</strong> · {fmt(cm.createdAt)}
          </header>
          <Markdown text={cm.body} />
        </article>
      ))}
      <form method="post" class="stack" action={`${base}/comment`}>
        <input type="hidden" name="_csrf" value={csrf} />
        {errors._form ? <Notice kind="error">{errors._form}</Notice> : null}
        <CommentBodyField label="Add a comment" value={values.body} error={errors.body} />
        <button type="submit" class="primary">
          Comment
        </button>
      </form>
      <AttachmentsSection
        siteName={site.name}
        issueKey={request.issueKey}
        attachments={extras.attachments}
        action={`${base}/attachments`}
        csrf={csrf}
        agent={false}
        error={errors.file}
      />
      <ApprovalsSection approvals={extras.approvals} action={`${base}/approvals`} csrf={csrf} />
      <FeedbackSection
        feedback={extras.feedback}
        canRate={canRate}
        action={`${base}/feedback`}
        csrf={csrf}
        error={errors.rating}
      />
    </PortalShell>
  );
};

/** Knowledge base search; each result shows its article. */
export const KnowledgeBaseView: FC<{
  site: SiteRow;
  who: string | undefined;
  csrf: string;
  q: string;
  articles: Awaited<ReturnType<typeof searchKbArticlesFor>>;
}> = ({ site, who, csrf, q, articles }) => {
  return (
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
    </PortalShell>
  );
};

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
