import {
  deleteAdminRole,
  insertAdminRole,
  lockActiveOrgAdmins,
} from '#src/db/queries/directory/admin-roles.queries.ts';
import { findOrgMembership } from '#src/db/queries/directory/org-memberships.queries.ts';
import { findSite } from '#src/db/queries/directory/sites.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { newId } from '#src/shared/ids.ts';
import { recordEvent } from '../audit/record-event.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

export interface AdminRoleInput {
  /** Caller IP for the audit log. */
  ip?: string | null;
  accountId: string;
  role: 'org_admin' | 'site_admin';
  /** Required for `site_admin`. */
  siteId?: string;
}

async function check(ctx: UseCaseContext<OrgTenant>, input: AdminRoleInput) {
  const { services, actor } = ctx;
  const org = await assertCan(services.db, actor, 'users.admin_roles', { orgId: ctx.tenant.orgId });
  if (input.role === 'site_admin') {
    if (!input.siteId)
      throw new AppError('request.invalid_input', 'siteId is required for the site_admin role.', {
        details: [{ path: 'siteId', message: 'Required for site_admin' }],
      });
    if (!(await findSite(services.db, org.id, input.siteId)))
      throw new AppError('directory.site_not_found', `No site ${input.siteId} in this organization.`);
  }
  return org;
}

/**
 * Grants org admin or site admin (F38); only org admins may. A repeat changes nothing.
 * @throws {AppError} `directory.user_not_found`, `directory.site_not_found`, plus access errors
 */
export async function grantAdminRole(ctx: UseCaseContext<OrgTenant>, input: AdminRoleInput): Promise<void> {
  const { services, actor } = ctx;
  const org = await check(ctx, input);
  const siteId = input.role === 'site_admin' ? input.siteId! : null;
  await services.db.transaction(async (tx) => {
    if (!(await findOrgMembership(tx, org.id, input.accountId)))
      throw new AppError('directory.user_not_found', `No user ${input.accountId} in this organization.`);
    await insertAdminRole(tx, {
      id: newId(),
      orgId: org.id,
      accountId: input.accountId,
      role: input.role,
      siteId,
    });
    await recordEvent(tx, services.clock, {
      orgId: org.id,
      action: 'admin_role.granted',
      actor,
      ip: input.ip,
      target: { type: 'account', id: input.accountId },
      siteId,
      data: { role: input.role },
    });
  });
}

/**
 * Revokes an admin role; the last active org admin keeps theirs.
 * @throws {AppError} `directory.last_org_admin`, `directory.site_not_found`, plus access errors
 */
export async function revokeAdminRole(
  ctx: UseCaseContext<OrgTenant>,
  input: AdminRoleInput,
): Promise<{ removed: boolean }> {
  const { services, actor } = ctx;
  const org = await check(ctx, input);
  const siteId = input.role === 'site_admin' ? input.siteId! : null;
  return services.db.transaction(async (tx) => {
    if (input.role === 'org_admin') {
      const admins = await lockActiveOrgAdmins(tx, org.id);
      if (admins.length === 1 && admins[0] === input.accountId)
        throw new AppError(
          'directory.last_org_admin',
          'This is the last organization admin; make someone else an admin first.',
        );
    }
    const removed = await deleteAdminRole(tx, {
      orgId: org.id,
      accountId: input.accountId,
      role: input.role,
      siteId,
    });
    if (removed > 0) {
      await recordEvent(tx, services.clock, {
        orgId: org.id,
        action: 'admin_role.revoked',
        actor,
        ip: input.ip,
        target: { type: 'account', id: input.accountId },
        siteId,
        data: { role: input.role },
      });
    }
    return { removed: removed > 0 };
  });
}
