import {
  deleteAdminRolesOfAccount,
  lockActiveOrgAdmins,
} from '#src/db/queries/directory/admin-roles.queries.ts';
import { deleteGroupMembershipsOfAccount } from '#src/db/queries/directory/groups.queries.ts';
import { deleteOrgMembership, lockOrgMembership } from '#src/db/queries/directory/org-memberships.queries.ts';
import { deleteSiteAccessOfAccount } from '#src/db/queries/directory/site-access.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { recordEvent } from '../audit/record-event.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

/**
 * Removes a user from the org (F41): membership, group memberships, admin roles and site access go; the account
 * itself stays, and other orgs are unaffected. Bringing them back needs a new invitation. The last active org
 * admin cannot be removed.
 * @throws {AppError} `directory.user_not_found`, `directory.last_org_admin`, plus access errors
 */
export async function removeUserFromOrg(
  ctx: UseCaseContext<OrgTenant>,
  target: { accountId: string; ip?: string | null },
): Promise<{ message: string }> {
  const { services, actor } = ctx;
  const org = await assertCan(services.db, actor, 'users.remove', { orgId: ctx.tenant.orgId });
  return services.db.transaction(async (tx) => {
    const admins = await lockActiveOrgAdmins(tx, org.id);
    const membership = await lockOrgMembership(tx, org.id, target.accountId);
    if (!membership)
      throw new AppError('directory.user_not_found', `No user ${target.accountId} in this organization.`);
    if (admins.length === 1 && admins[0] === target.accountId)
      throw new AppError(
        'directory.last_org_admin',
        'This is the last organization admin; make someone else an admin first.',
      );
    // Everything that hangs off the membership first, the membership last.
    const leftGroups = await deleteGroupMembershipsOfAccount(tx, org.id, target.accountId);
    const adminRoles = await deleteAdminRolesOfAccount(tx, org.id, target.accountId);
    await deleteSiteAccessOfAccount(tx, org.id, target.accountId);
    await deleteOrgMembership(tx, org.id, target.accountId);
    const removed = { groups: leftGroups.length, adminRoles };
    await recordEvent(tx, services.clock, {
      orgId: org.id,
      action: 'user.removed',
      actor,
      ip: target.ip,
      target: { type: 'account', id: target.accountId },
      data: removed,
    });
    return { message: 'The user was removed from the organization. The account itself was not deleted.' };
  });
}
