import { listProductRoles } from '#src/db/queries/directory/groups.queries.ts';
import {
  countOrgMembers,
  listOrgMembers,
  listOrgMembersSorted,
  type MemberCursor,
  type MemberSort,
} from '#src/db/queries/directory/org-memberships.queries.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';
import { isBillable } from './seats.ts';

export interface ListOrgUsersInput {
  /** The Admin API lists the whole directory (`org.directory.view`); the console's Users page `users.view`. */
  permission: 'org.directory.view' | 'users.view';
  afterAccountId?: string;
  /** Part of a name or email (the console's "Find the user"), case-insensitive. */
  search?: string;
  /** Rows to fetch (callers ask one more than a page to know whether another follows). */
  limit: number;
  /** The Admin API reports the total; the console does not need it. */
  withTotal?: boolean;
  /** The console lists names and status only; the Admin API also each user's product access. */
  withProductAccess?: boolean;
  /**
   * The console's order: by name or email, paged by keyset (`after` / `before` a row). Without it, account id
   * order after `afterAccountId` (the Admin API's cursor).
   */
  order?: { sort: MemberSort; descending: boolean; after?: MemberCursor; before?: MemberCursor };
}

/**
 * A page of the org's members (accounts with a membership), ordered by account id or by `order`, each with its
 * product roles (through groups) and whether it is billable. With `order`, `total` counts the members matching
 * the search and `offset` says how many come before the page.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`
 */
export async function listOrgUsers(ctx: UseCaseContext<OrgTenant>, input: ListOrgUsersInput) {
  const { db } = ctx.services;
  const org = await assertCan(db, ctx.actor, input.permission, ctx.tenant);
  const { order } = input;
  const sorted = order
    ? await listOrgMembersSorted(db, org.id, { ...order, limit: input.limit, search: input.search })
    : undefined;
  const rows = sorted ?? (await listOrgMembers(db, org.id, input.afterAccountId, input.limit, input.search));
  const roles = input.withProductAccess
    ? await listProductRoles(
        db,
        org.id,
        rows.map((r) => r.account.id),
      )
    : [];
  const users = rows.map(({ account, membershipStatus }, i) => {
    const place = sorted?.[i];
    const productAccess = roles.filter((r) => r.accountId === account.id);
    return {
      account,
      membershipStatus,
      productAccess,
      billable: isBillable(membershipStatus, productAccess),
      /** With `order`: where a page starting after (or before) this row begins. */
      cursor: place ? ({ key: place.sortKey, id: account.id } satisfies MemberCursor) : undefined,
    };
  });
  // The member count rides along with the page's rows; an empty page (past the end) counts on its own.
  const total = input.withTotal
    ? (rows[0]?.total ?? (await countOrgMembers(db, org.id, order ? input.search : undefined)))
    : undefined;
  const ahead = sorted?.[0]?.ahead ?? 0;
  const offset = ahead - (order?.before ? rows.length : 0);
  return { org, users, total, offset: Math.max(0, offset) };
}
