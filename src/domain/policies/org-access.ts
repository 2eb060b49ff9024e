import type { Executor } from '#src/db/client.ts';
import { findOrgMembership } from '#src/db/queries/directory/accounts.queries.ts';
import { listAdminRoles } from '#src/db/queries/directory/admin-roles.queries.ts';
import { findOrganization, type OrganizationRow } from '#src/db/queries/directory/organizations.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { Actor } from './actor.ts';

/**
 * Loads an organization for an admin-API caller. Another tenant's org answers 404 exactly like a missing one,
 * so ids of other tenants cannot be probed.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`
 */
export async function getOrgForAdmin(db: Executor, actor: Actor, orgId: string): Promise<OrganizationRow> {
  if (actor.type === 'anonymous' || actor.type === 'customer') {
    throw new AppError(
      'auth.unauthenticated',
      'Authenticate with an org API key (Bearer) or an admin account.',
    );
  }
  const notFound = new AppError('directory.org_not_found', `No organization ${orgId}.`);
  if (actor.type === 'api_key' && actor.orgId !== orgId) throw notFound;
  const org = await findOrganization(db, orgId);
  if (!org) throw notFound;
  if (actor.type === 'account') {
    const roles = await listAdminRoles(db, orgId, actor.accountId);
    // Members (and site admins) know the org exists: they get 403; strangers get the same 404 as a missing org.
    if (roles.length === 0 && !(await findOrgMembership(db, orgId, actor.accountId))) throw notFound;
    if (!roles.some((role) => role.role === 'org_admin')) {
      throw new AppError('auth.forbidden', 'Only organization admins can use this endpoint.');
    }
  }
  return org;
}
