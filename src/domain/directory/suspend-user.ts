import { lockActiveOrgAdmins } from '#src/db/queries/directory/admin-roles.queries.ts';
import { lockOrgMembership, setMembershipStatus } from '#src/db/queries/directory/org-memberships.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { recordEvent } from '../audit/record-event.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

export interface MemberTarget {
  /** Caller IP for the audit log. */
  ip?: string | null;
  accountId: string;
}

async function changeAccess(
  ctx: UseCaseContext<OrgTenant>,
  target: MemberTarget,
  status: 'active' | 'suspended',
): Promise<{ message: string }> {
  const { services, actor } = ctx;
  const org = await assertCan(services.db, actor, 'users.suspend', ctx.tenant);
  if (org.userManagement !== 'centralized') {
    throw new AppError(
      'directory.wrong_experience',
      'Suspend and restore access exist in the centralized user-management experience only; in the original experience use the per-site "Has access on site" toggle.',
    );
  }
  return services.db.transaction(async (tx) => {
    const membership = await lockOrgMembership(tx, org.id, target.accountId);
    if (!membership)
      throw new AppError('directory.user_not_found', `No user ${target.accountId} in this organization.`);
    if (status === 'suspended') {
      const admins = await lockActiveOrgAdmins(tx, org.id);
      if (admins.length === 1 && admins[0] === target.accountId)
        throw new AppError(
          'directory.last_org_admin',
          'This is the last active organization admin; make someone else an admin first.',
        );
    }
    const verb = status === 'suspended' ? 'suspended' : 'restored';
    if (membership.status === status) return { message: `The user's access is already ${verb}.` };
    await setMembershipStatus(tx, org.id, target.accountId, status, services.clock.now());
    await recordEvent(tx, services.clock, {
      orgId: org.id,
      action: status === 'suspended' ? 'user.access_suspended' : 'user.access_restored',
      actor,
      ip: target.ip,
      target: { type: 'account', id: target.accountId },
    });
    return {
      message:
        status === 'suspended'
          ? "The user's access was suspended. Groups and roles are kept; no seat is used."
          : "The user's access was restored with their groups and roles.",
    };
  });
}

/**
 * Suspends a member (F40, centralized only): keeps groups and roles, frees seats (seat counts exclude suspended
 * memberships), and every permission of the member stops working. Repeating it changes nothing.
 * @throws {AppError} `directory.wrong_experience`, `directory.user_not_found`, `directory.last_org_admin`, plus
 * access errors
 */
export function suspendUser(ctx: UseCaseContext<OrgTenant>, target: MemberTarget) {
  return changeAccess(ctx, target, 'suspended');
}

/**
 * Restores a suspended member (F40). Seats are not re-checked: restoring is how the admin takes them back.
 * @throws {AppError} `directory.wrong_experience`, `directory.user_not_found`, plus access errors
 */
export function restoreUser(ctx: UseCaseContext<OrgTenant>, target: MemberTarget) {
  return changeAccess(ctx, target, 'active');
}
