import { listProductRoles } from '#src/db/queries/directory/groups.queries.ts';
import { countOrgMembers, listOrgMembers } from '#src/db/queries/directory/org-memberships.queries.ts';
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
}

/**
 * A page of the org's members (accounts with a membership), ordered by account id, each with its product roles
 * (through groups) and whether it is billable.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`
 */
export async function listOrgUsers(ctx: UseCaseContext<OrgTenant>, input: ListOrgUsersInput) {
  const { db } = ctx.services;
  const org = await assertCan(db, ctx.actor, input.permission, ctx.tenant);
  const rows = await listOrgMembers(db, org.id, input.afterAccountId, input.limit, input.search);
  const roles = input.withProductAccess
    ? await listProductRoles(
        db,
        org.id,
        rows.map((r) => r.account.id),
      )
    : [];
  const users = rows.map(({ account, membershipStatus }) => {
    const productAccess = roles.filter((r) => r.accountId === account.id);
    return {
      account,
      membershipStatus,
      productAccess,
      billable: isBillable(membershipStatus, productAccess),
    };
  });
  // The member count rides along with the page's rows; an empty page (past the end) counts on its own.
  const total = input.withTotal ? (rows[0]?.total ?? (await countOrgMembers(db, org.id))) : undefined;
  return { org, users, total };
}
