import type { FC } from 'hono/jsx';
import { z } from 'zod';
import type { ListRequestsInput } from '#src/domain/servicedesk/list-requests.ts';
import type { Column } from '#src/web/ui/data-table.tsx';
import { Markdown } from '#src/web/ui/markdown.tsx';

/** The open/closed/any filter of the portal's and the agent queue's request lists. */
export const REQUEST_STATUS_FILTER: Record<string, ListRequestsInput['requestStatus']> = {
  open: 'OPEN_REQUESTS',
  closed: 'CLOSED_REQUESTS',
  any: 'ALL_REQUESTS',
};

/** Rows per request-list page. */
export const REQUEST_PAGE_SIZE = 50;

/** The `start` query value of a request list: a whole offset, 0 when absent or nonsense, capped. */
export function listStartOf(value: string | undefined): number {
  return Math.max(0, Math.min(1_000_000, Number(value) || 0));
}

/**
 * Previous/next links of a list page. `fetched` is how many rows were loaded: one more than `limit` means a next
 * page exists. `href` builds the link for another `start`.
 */
export const PageLinks: FC<{
  start: number;
  limit: number;
  fetched: number;
  href: (extra: Record<string, string>) => string;
}> = ({ start, limit, fetched, href }) => (
  <nav aria-label="Pagination" class="pagination">
    {start > 0 ? <a href={href({ start: String(Math.max(0, start - limit)) })}>Previous page</a> : null}
    {fetched > limit ? <a href={href({ start: String(start + limit) })}>Next page</a> : null}
  </nav>
);

/** The comment text of a request, as the portal and the agent queue forms accept it. */
export const commentBody = z
  .string()
  .trim()
  .min(1, 'Write a comment first.')
  .max(32_000, 'Use at most 32,000 characters.');

/** The comment textarea with its field error, keeping what was typed. */
export const CommentBodyField: FC<{ label: string; value?: string; error?: string }> = ({
  label,
  value,
  error,
}) => (
  <div class={`field${error ? ' field-invalid' : ''}`}>
    <label for="field-body">{label}</label>
    <textarea id="field-body" name="body" aria-invalid={error ? 'true' : undefined}>
      {value ?? ''}
    </textarea>
    {error ? <p class="field-error">{error}</p> : null}
  </div>
);

/** A time as both request pages show it: `YYYY-MM-DD HH:MM` (UTC). */
export const formatTime = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

/** The status row of a request's properties list. */
export const StatusProp: FC<{ status: string }> = ({ status }) => (
  <>
    <dt>Status</dt>
    <dd>
      <span class="badge" data-testid="request-status">
        {status}
      </span>
    </dd>
  </>
);

/** A request's description, when it has one. */
export const RequestDescription: FC<{ text: string | null }> = ({ text }) =>
  text ? (
    <section aria-label="Description">
      <h2>Description</h2>
      <Markdown text={text} testId="request-description" />
    </section>
  ) : null;

/** One comment of a request's activity: author, an optional kind (reply or internal note), time, body. */
export const CommentEntry: FC<{
  author: string | undefined;
  kind?: string;
  createdAt: Date;
  body: string;
  class?: string;
  testId: string;
}> = (props) => (
  <article class={props.class ?? 'comment'} data-testid={props.testId}>
    <header>
      <strong>{props.author ?? 'Someone'}</strong> · {props.kind ? <>{props.kind} · </> : null}
      {formatTime(props.createdAt)}
    </header>
    <Markdown text={props.body} />
  </article>
);

/** The free-text search field of both request lists' filters. */
export const SearchField: FC<{ value: string }> = ({ value }) => (
  <div class="field">
    <label for="q">Search</label>
    <input id="q" type="search" name="q" value={value} />
  </div>
);

/** The first columns of both request lists: the key (linked with `href`), the summary and the status. */
export function requestColumns<T extends { issueKey: string; summary: string; status: string }>(
  keyHeader: string,
  href: (issueKey: string) => string,
): Column<T>[] {
  return [
    { header: keyHeader, cell: (r) => <a href={href(r.issueKey)}>{r.issueKey}</a> },
    { header: 'Summary', cell: (r) => r.summary },
    { header: 'Status', cell: (r) => <span class="badge">{r.status}</span> },
  ];
}
