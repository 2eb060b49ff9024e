import { and, type Column, eq, or, type SQL, sql } from 'drizzle-orm';
import {
  customerOrganizationMembers,
  requestApprovals,
  requestApprovers,
  requestOrganizations,
  requestParticipants,
  requests,
} from '#src/db/schema/index.ts';
import type { DeskViewer } from './desk-viewer.ts';

/** What the request rule needs of a viewer. */
export type RequestScope = Pick<DeskViewer, 'role' | 'site' | 'siteUserId' | 'migratingFrom'>;

/**
 * THE visibility rule for requests, in one place (every read and write of a request goes through it):
 * - agents (and admins) see every request of their site's service desks;
 * - a customer sees the requests of this site they reported (or that were raised for them), raised, take part
 *   in, are an approver of, or that are shared with a customer organization they belong to;
 * - a customer with no site user here yet (an account that never used this site) sees nothing — so an account
 *   holder does not see the requests of a portal-only customer with the same email until it is migrated;
 * - nobody sees another site's requests (other tenants get 404).
 * Internal comments are filtered separately (`canSeeInternalComments`). Lists gather the customer's requests through
 * the person indexes (`involvedRequestIds`); one request found by id or key tests the same rule on its row
 * (`visibleRequestCondition`).
 */
export function visibleRequestsCondition(viewer: RequestScope): SQL {
  const onSite = eq(requests.siteId, viewer.site.id);
  if (viewer.role === 'agent') return onSite;
  if (!viewer.siteUserId) return sql`false`;
  return and(onSite, involvedRequestIds(viewerSiteUsers(viewer), ['ALL']))!;
}

export type Ownership =
  | 'OWNED_REQUESTS'
  | 'PARTICIPATED_REQUESTS'
  | 'ORGANIZATION'
  | 'ALL_ORGANIZATIONS'
  | 'APPROVER'
  | 'ALL';

/** The viewer's site user, plus those of customers being migrated to it in chunks (reads resolve both). */
function viewerSiteUsers(viewer: RequestScope): string | string[] {
  return viewer.migratingFrom ? [viewer.siteUserId!, ...viewer.migratingFrom] : viewer.siteUserId!;
}

/** `column = id` or `column = any(ids)`. */
function memberOf(siteUserIds: string | string[]): (column: SQL | Column) => SQL {
  if (!Array.isArray(siteUserIds)) return (column) => sql`${column} = ${siteUserIds}`;
  const ids = sql`array[${sql.join(
    siteUserIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::text[]`;
  return (column) => sql`${column} = any(${ids})`;
}

/**
 * The requests the site user(s) are involved in, by `ownerships`, read through the person indexes. Their own
 * requests alone: `reporter = … or raiser = …` (two index scans ORed into one bitmap). With participants,
 * organizations or approvers: `requests.id in (… union all …)` over every kind, each part through its own index.
 * Written as per-row `or exists …`, the planner walks every request of the site and tests each: 547 ms for a
 * customer with 20 requests on a site of 132,000. Driven from the person, a list costs what the person's own
 * requests cost, whatever the site's size. (ORing `id = any(array(…))` into the bitmap instead was slower: a list
 * on a site of 100,000 requests took 36 ms at p50 where the union takes 13.)
 */
function involvedRequestIds(
  siteUserIds: string | string[],
  ownerships: Ownership[],
  organizationId?: number,
): SQL {
  const isMember = memberOf(siteUserIds);
  const wanted = new Set(
    ownerships.includes('ALL')
      ? (['OWNED_REQUESTS', 'PARTICIPATED_REQUESTS', 'ORGANIZATION', 'APPROVER'] as const)
      : ownerships,
  );
  if (wanted.size === 1 && wanted.has('OWNED_REQUESTS'))
    return sql`(${isMember(requests.reporterId)} or ${isMember(requests.raisedById)})`;
  const sets: SQL[] = [];
  if (wanted.has('OWNED_REQUESTS')) {
    sets.push(sql`select own.id from ${requests} own where ${isMember(sql`own.reporter_id`)}`);
    sets.push(sql`select own.id from ${requests} own where ${isMember(sql`own.raised_by_id`)}`);
  }
  if (wanted.has('PARTICIPATED_REQUESTS')) {
    sets.push(
      sql`select rp.request_id from ${requestParticipants} rp where ${isMember(sql`rp.site_user_id`)}`,
    );
  }
  if (wanted.has('ORGANIZATION') || wanted.has('ALL_ORGANIZATIONS')) {
    // ORGANIZATION narrows to one organization only when asked on its own (JSM: `organizationId` with it).
    const oneOrganization =
      wanted.has('ORGANIZATION') && !wanted.has('ALL_ORGANIZATIONS') && organizationId !== undefined
        ? sql` and ro.customer_organization_id = ${organizationId}`
        : sql``;
    sets.push(sql`select ro.request_id from ${requestOrganizations} ro join ${customerOrganizationMembers} com
      on com.customer_organization_id = ro.customer_organization_id
      where ${isMember(sql`com.site_user_id`)}${oneOrganization}`);
  }
  if (wanted.has('APPROVER')) {
    sets.push(sql`select ra.request_id from ${requestApprovals} ra join ${requestApprovers} rap on rap.approval_id = ra.id
      where ${isMember(sql`rap.site_user_id`)}`);
  }
  return sql`${requests.id} in (${sql.join(sets, sql` union all `)})`;
}

/**
 * Whether the site user(s) are the reporter, raiser, a participant, an approver or (`organizations`) a member of an
 * organization the request is shared with, tested per row (the request in scope as `requests`): for a request
 * already found by id or key, or the few candidates another condition yields. A list uses `involvedRequestIds`.
 */
function involvedPerRow(siteUserIds: string | string[], organizations: boolean): SQL {
  const isMember = memberOf(siteUserIds);
  const shared = organizations
    ? sql` or exists (select 1 from ${requestOrganizations} ro join ${customerOrganizationMembers} com
        on com.customer_organization_id = ro.customer_organization_id
        where ro.request_id = ${requests.id} and ${isMember(sql`com.site_user_id`)})`
    : sql``;
  return sql`(${isMember(requests.reporterId)} or ${isMember(requests.raisedById)}
    or exists (select 1 from ${requestParticipants} rp where rp.request_id = ${requests.id} and ${isMember(sql`rp.site_user_id`)})
    or exists (select 1 from ${requestApprovals} ra join ${requestApprovers} rv on rv.approval_id = ra.id
      where ra.request_id = ${requests.id} and ${isMember(sql`rv.site_user_id`)})${shared})`;
}

/** Whether the site user is the reporter, raiser, a participant or an approver of the request (per row). */
export function isPartyTo(siteUserId: string): SQL {
  return involvedPerRow(siteUserId, false);
}

/**
 * The visibility rule for ONE request found by id or key (the same rule as `visibleRequestsCondition`, tested on
 * that row only instead of gathering every request the customer is involved in).
 */
export function visibleRequestCondition(viewer: RequestScope): SQL {
  const onSite = eq(requests.siteId, viewer.site.id);
  if (viewer.role === 'agent') return onSite;
  if (!viewer.siteUserId) return sql`false`;
  return and(onSite, involvedPerRow(viewerSiteUsers(viewer), true))!;
}

/**
 * The WHERE of a request list: the visibility rule, narrowed by JSM `requestOwnership` (none = everything
 * visible). A customer's ownership conditions each imply visibility, so they replace the broad rule; for agents,
 * ORGANIZATION / ALL_ORGANIZATIONS mean requests shared with (that) organization.
 */
export function requestListCondition(
  viewer: RequestScope,
  ownership: Array<Exclude<Ownership, 'ALL'>>,
  organizationId?: number,
): SQL {
  if (ownership.length === 0) return visibleRequestsCondition(viewer);
  const onSite = eq(requests.siteId, viewer.site.id);
  if (viewer.role === 'customer') {
    if (!viewer.siteUserId) return sql`false`;
    return and(onSite, involvedRequestIds(viewerSiteUsers(viewer), ownership, organizationId))!;
  }
  // An agent's ORGANIZATION / ALL_ORGANIZATIONS: requests shared with (that) organization; the rest: the agent's
  // own involvement (an agent may be a participant or an approver too).
  const parts: SQL[] = [];
  const isShared = (o: Ownership) => o === 'ORGANIZATION' || o === 'ALL_ORGANIZATIONS';
  const shared = ownership.filter(isShared);
  if (shared.length > 0) {
    const oneOrganization = !shared.includes('ALL_ORGANIZATIONS') && organizationId !== undefined;
    parts.push(
      sql`exists (select 1 from ${requestOrganizations} ro where ro.request_id = ${requests.id}${
        oneOrganization ? sql` and ro.customer_organization_id = ${organizationId}` : sql``
      })`,
    );
  }
  const own = ownership.filter((o) => !isShared(o));
  if (own.length > 0 && viewer.siteUserId) parts.push(involvedRequestIds(viewerSiteUsers(viewer), own));
  if (parts.length === 0) return sql`false`;
  return and(onSite, parts.length === 1 ? parts[0]! : or(...parts)!)!;
}

/** Internal comments never reach customers. */
export function canSeeInternalComments(viewer: DeskViewer): boolean {
  return viewer.role === 'agent';
}
