import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
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
 * Internal comments are filtered separately (`canSeeInternalComments`).
 */
export function visibleRequestsCondition(viewer: RequestScope): SQL {
  const onSite = eq(requests.siteId, viewer.site.id);
  if (viewer.role === 'agent') return onSite;
  if (!viewer.siteUserId) return sql`false`;
  return and(onSite, customerInvolvement(viewerSiteUsers(viewer), 'ALL'))!;
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

/** How the site user(s) are involved in the request (in scope as `requests`), for ownership filters. */
export function customerInvolvement(
  siteUserIds: string | string[],
  ownership: Ownership,
  organizationId?: number,
): SQL {
  const many = Array.isArray(siteUserIds);
  const ids = many
    ? sql`array[${sql.join(
        siteUserIds.map((id) => sql`${id}`),
        sql`, `,
      )}]::text[]`
    : undefined;
  const owned = many
    ? or(inArray(requests.reporterId, siteUserIds), inArray(requests.raisedById, siteUserIds))!
    : or(eq(requests.reporterId, siteUserIds), eq(requests.raisedById, siteUserIds))!;
  const isMember = (column: SQL) => (many ? sql`${column} = any(${ids})` : sql`${column} = ${siteUserIds}`);
  const participated = sql`exists (select 1 from ${requestParticipants} rp where rp.request_id = ${requests.id} and ${isMember(sql`rp.site_user_id`)})`;
  const organizations = sql`exists (select 1 from ${requestOrganizations} ro join ${customerOrganizationMembers} com
      on com.customer_organization_id = ro.customer_organization_id
      where ro.request_id = ${requests.id} and ${isMember(sql`com.site_user_id`)}${
        organizationId === undefined ? sql`` : sql` and ro.customer_organization_id = ${organizationId}`
      })`;
  const approver = sql`exists (select 1 from ${requestApprovals} ra join ${requestApprovers} rap on rap.approval_id = ra.id
      where ra.request_id = ${requests.id} and ${isMember(sql`rap.site_user_id`)})`;
  switch (ownership) {
    case 'APPROVER':
      return approver;
    case 'OWNED_REQUESTS':
      return owned;
    case 'PARTICIPATED_REQUESTS':
      return participated;
    case 'ORGANIZATION':
    case 'ALL_ORGANIZATIONS':
      return organizations;
    case 'ALL':
      return or(owned, participated, organizations, approver)!;
  }
}

/**
 * The WHERE of a request list: the visibility rule, narrowed by JSM `requestOwnership` (none = everything
 * visible). A customer's ownership conditions each imply visibility, so they replace the broad rule (a cheaper
 * query); for agents, ORGANIZATION / ALL_ORGANIZATIONS mean requests shared with (that) organization.
 */
export function requestListCondition(
  viewer: RequestScope,
  ownership: Array<Exclude<Ownership, 'ALL'>>,
  organizationId?: number,
): SQL {
  if (ownership.length === 0) return visibleRequestsCondition(viewer);
  const onSite = eq(requests.siteId, viewer.site.id);
  if (viewer.role === 'customer' && !viewer.siteUserId) return sql`false`;
  const parts = ownership.map((o) => {
    if ((o === 'ORGANIZATION' || o === 'ALL_ORGANIZATIONS') && viewer.role === 'agent') {
      return o === 'ORGANIZATION' && organizationId !== undefined
        ? sql`exists (select 1 from ${requestOrganizations} ro where ro.request_id = ${requests.id} and ro.customer_organization_id = ${organizationId})`
        : sql`exists (select 1 from ${requestOrganizations} ro where ro.request_id = ${requests.id})`;
    }
    if (!viewer.siteUserId) return sql`false`;
    return customerInvolvement(viewerSiteUsers(viewer), o, o === 'ORGANIZATION' ? organizationId : undefined);
  });
  return and(onSite, parts.length === 1 ? parts[0]! : or(...parts)!)!;
}

/** Internal comments never reach customers. */
export function canSeeInternalComments(viewer: DeskViewer): boolean {
  return viewer.role === 'agent';
}
