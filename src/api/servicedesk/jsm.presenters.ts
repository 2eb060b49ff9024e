import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { CustomerOrganizationRow } from '#src/db/queries/servicedesk/customer-organizations.queries.ts';
import type { KbArticleRow } from '#src/db/queries/servicedesk/kb-articles.queries.ts';
import type { CommentRow } from '#src/db/queries/servicedesk/request-comments.queries.ts';
import type { RequestTypeRow } from '#src/db/queries/servicedesk/request-types.queries.ts';
import type { RequestRow } from '#src/db/queries/servicedesk/requests.queries.ts';
import type { ServiceDeskRow } from '#src/db/queries/servicedesk/service-desks.queries.ts';
import { articleText, renderArticleBody } from '#src/domain/servicedesk/knowledge-base.ts';
import type { Person } from '#src/domain/servicedesk/people.ts';
import type { StatusEntry } from '#src/domain/servicedesk/status-history.ts';
import { CUSTOMER_STATUS_NAME, STATUS_CATEGORY, type Transition } from '#src/domain/servicedesk/workflow.ts';
import type { AppEnv } from '#src/web/http.ts';
import type {
  TCustomerRequest,
  ZArticle,
  ZComment,
  ZDateDTO,
  ZOrganization,
  ZRequestType,
  ZServiceDesk,
  ZStatus,
  ZTransition,
  ZUserDTO,
} from './jsm.schemas.ts';

/**
 * @fileoverview The presenters that fill the JSM REST shapes of `jsm.schemas.ts` (reference §2.0–§2.4), and the
 * offset paging every JSM list answers with. Links are absolute (jira.js validates them as URLs): `BASE_URL` when
 * configured, else the request's own origin.
 */

/** The public base of the site's REST links. */
export function siteBase(c: Context<AppEnv>, site: SiteRow): string {
  const configured = c.get('services').config.BASE_URL;
  const origin = configured ? configured.replace(/\/$/, '') : new URL(c.req.url).origin;
  return `${origin}/sites/${site.name}`;
}

/** A JSM page from `limit + 1` fetched rows. */
export function paged<Row, Item>(
  c: Context<AppEnv>,
  site: SiteRow,
  rows: Row[],
  page: { start: number; limit: number },
  present: (row: Row) => Item,
  expands: string[] = [],
  /** For a page embedded in another resource (`expand=participant`…): its own path under the site, e.g.
   * `/rest/servicedeskapi/request/12/participant`, so its links point at the page and not at the parent. */
  embeddedPath?: string,
) {
  const values = rows.slice(0, page.limit).map(present);
  const isLastPage = rows.length <= page.limit;
  const self = new URL(c.req.url);
  const base = siteBase(c, site);
  const at = (start: number) => {
    const url = new URL(
      embeddedPath
        ? `${base}${embeddedPath}`
        : `${base}${self.pathname.replace(/^\/sites\/[^/]+/, '')}${self.search}`,
    );
    url.searchParams.set('start', String(start));
    url.searchParams.set('limit', String(page.limit));
    return url.toString();
  };
  return {
    _expands: expands,
    size: values.length,
    start: page.start,
    limit: page.limit,
    isLastPage,
    _links: {
      base: `${base}/rest/servicedeskapi`,
      context: '',
      self: at(page.start),
      ...(isLastPage ? {} : { next: at(page.start + page.limit) }),
      ...(page.start > 0 ? { prev: at(Math.max(0, page.start - page.limit)) } : {}),
    },
    values,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * The date as `Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })` writes
 * it ("5 Nov 2026, 09:03"), built by hand: a page of 50 requests formats hundreds of dates, and Intl took ≈2.6 µs
 * each, a tenth of the page's CPU (jsm.presenters.test.ts compares the two).
 */
export function friendlyDate(date: Date): string {
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}`;
}

export function presentDate(date: Date): z.infer<typeof ZDateDTO> {
  // toISOString() always ends in ".sssZ": Jira writes "…:ssZ" as "…:ss+0000" (iso8601) and "….sss+0000" (jira).
  const iso = date.toISOString();
  return {
    iso8601: `${iso.slice(0, -5)}+0000`,
    jira: `${iso.slice(0, -1)}+0000`,
    friendly: friendlyDate(date),
    epochMillis: date.getTime(),
  };
}

export function presentUser(base: string, person: Person): z.infer<typeof ZUserDTO> {
  const self = `${base}/rest/api/3/user?accountId=${encodeURIComponent(person.accountId)}`;
  const avatar = (size: number) => `${base}/avatars/default.svg?s=${size}`;
  return {
    accountId: person.accountId,
    ...(person.accountType === 'customer' ? { name: person.accountId, key: person.accountId } : {}),
    displayName: person.displayName,
    ...(person.emailAddress ? { emailAddress: person.emailAddress } : {}),
    active: person.active,
    timeZone: person.timeZone,
    _links: {
      jiraRest: self,
      self,
      avatarUrls: { '16x16': avatar(16), '24x24': avatar(24), '32x32': avatar(32), '48x48': avatar(48) },
    },
  };
}

/** A person who cannot be loaded any more (should not happen; kept so a page never fails). */
export const UNKNOWN_PERSON: Person = {
  siteUserId: '',
  accountId: 'unknown',
  accountType: 'atlassian',
  displayName: 'Former user',
  emailAddress: null,
  active: false,
  timeZone: 'UTC',
};

export function presentServiceDesk(base: string, desk: ServiceDeskRow): z.infer<typeof ZServiceDesk> {
  return {
    id: String(desk.id),
    projectId: String(desk.projectId),
    projectKey: desk.projectKey,
    projectName: desk.projectName,
    projectTypeKey: 'service_desk',
    portalName: desk.portalName,
    portalDescription: desk.portalDescription,
    _links: { self: `${base}/rest/servicedeskapi/servicedesk/${desk.id}` },
  };
}

export function presentRequestType(base: string, type: RequestTypeRow): z.infer<typeof ZRequestType> {
  return {
    id: String(type.id),
    name: type.name,
    description: type.description,
    helpText: type.helpText,
    issueTypeId: type.issueTypeId,
    serviceDeskId: String(type.serviceDeskId),
    portalId: String(type.serviceDeskId),
    groupIds: type.groupIds.map(String),
    restrictionStatus: type.restriction,
    canCreateRequest: true,
    _links: { self: `${base}/rest/servicedeskapi/servicedesk/${type.serviceDeskId}/requesttype/${type.id}` },
  };
}

export function presentOrganization(
  base: string,
  row: CustomerOrganizationRow,
): z.infer<typeof ZOrganization> {
  return {
    id: String(row.id),
    name: row.name,
    created: presentDate(row.createdAt),
    _links: { self: `${base}/rest/servicedeskapi/organization/${row.id}` },
  };
}

export function presentComment(
  base: string,
  request: RequestRow,
  comment: CommentRow,
  people: Map<string, Person>,
  options: { renderedBody?: boolean } = {},
): z.infer<typeof ZComment> {
  return {
    id: String(comment.id),
    body: comment.body,
    public: comment.isPublic,
    author: presentUser(base, people.get(comment.authorId) ?? UNKNOWN_PERSON),
    created: presentDate(comment.createdAt),
    ...(options.renderedBody ? { renderedBody: { html: renderArticleBody(comment.body, 'markdown') } } : {}),
    _links: { self: `${base}/rest/servicedeskapi/request/${request.id}/comment/${comment.id}` },
  };
}

export function presentStatus(
  request: Pick<RequestRow, 'status' | 'statusChangedAt'>,
): z.infer<typeof ZStatus> {
  return {
    status: CUSTOMER_STATUS_NAME[request.status],
    statusCategory: STATUS_CATEGORY[request.status],
    statusDate: presentDate(request.statusChangedAt),
  };
}

/** One entry of the status history. */
export function presentStatusEntry(entry: StatusEntry): z.infer<typeof ZStatus> {
  return presentStatus({ status: entry.status, statusChangedAt: entry.at });
}

export function presentTransition(t: Transition): z.infer<typeof ZTransition> {
  return { id: t.id, name: t.name };
}

export function presentRequest(
  base: string,
  request: RequestRow,
  people: Map<string, Person>,
  extra: Partial<
    Pick<
      TCustomerRequest,
      | 'participants'
      | 'comments'
      | 'status'
      | 'serviceDesk'
      | 'requestType'
      | 'sla'
      | 'attachments'
      | 'actions'
    >
  > = {},
): TCustomerRequest {
  return {
    _expands: [
      'participant',
      'status',
      'sla',
      'requestType',
      'serviceDesk',
      'attachment',
      'action',
      'comment',
    ],
    issueId: String(request.id),
    issueKey: request.issueKey,
    requestTypeId: String(request.requestTypeId),
    serviceDeskId: String(request.serviceDeskId),
    createdDate: presentDate(request.createdAt),
    reporter: presentUser(base, people.get(request.reporterId) ?? UNKNOWN_PERSON),
    summary: request.summary,
    requestFieldValues: [
      { fieldId: 'summary', label: 'Summary', value: request.summary },
      { fieldId: 'description', label: 'Description', value: request.description },
    ],
    currentStatus: presentStatus(request),
    ...extra,
    _links: {
      self: `${base}/rest/servicedeskapi/request/${request.id}`,
      jiraRest: `${base}/rest/api/3/issue/${request.id}`,
      web: `${base}/portal/requests/${request.issueKey}`,
      agent: `${base}/agent/requests/${request.issueKey}`,
    },
  };
}

/** Article search result; `highlight` wraps matches as `@@@hl@@@term@@@endhl@@@` like JSM. */
export function presentArticle(
  base: string,
  article: KbArticleRow,
  query: string,
  highlight: boolean,
): z.infer<typeof ZArticle> {
  const text = articleText(article.bodyHtml);
  const word = query.split(/\s+/).find(Boolean) ?? '';
  const at = word ? text.toLowerCase().indexOf(word.toLowerCase()) : -1;
  let excerpt = text.slice(Math.max(0, at - 60), Math.max(0, at - 60) + 200);
  let title = article.title;
  if (highlight && word) {
    const pattern = new RegExp(word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    excerpt = excerpt.replace(pattern, (m) => `@@@hl@@@${m}@@@endhl@@@`);
    title = title.replace(pattern, (m) => `@@@hl@@@${m}@@@endhl@@@`);
  }
  return {
    id: String(article.id),
    title,
    excerpt,
    source: { type: 'confluence', pageId: String(article.id), spaceKey: `KB${article.serviceDeskId ?? ''}` },
    content: { iframeSrc: `${base}/rest/servicedeskapi/knowledgebase/article/view/${article.id}` },
  };
}

/** `X-ExperimentalApi: opt-in` (or the older `true`) is required on experimental operations, as in JSM. */
export function hasExperimentalOptIn(c: Context<AppEnv>): boolean {
  const value = c.req.header('x-experimentalapi')?.toLowerCase();
  return value === 'opt-in' || value === 'true';
}
