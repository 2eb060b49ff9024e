import { listAdminRolesOfAccount } from '#src/db/queries/directory/admin-roles.queries.ts';
import { listOrganizationsByIds } from '#src/db/queries/directory/organizations.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { can } from '../policies/can.ts';
import type { UseCaseContext } from '../use-case.ts';

/**
 * The organizations the caller administers, ordered by id: an org API key's own org, or every org the account
 * may open (`org.view`: org admin, or site admin in the original experience), so each listed org's link answers.
 * @throws {AppError} `auth.unauthenticated` for any other caller
 */
export async function listMyOrganizations(ctx: UseCaseContext, input: { afterId?: string; limit: number }) {
  const { db } = ctx.services;
  const { actor } = ctx;
  let orgIds: string[];
  if (actor.type === 'api_key') orgIds = [actor.orgId];
  else if (actor.type === 'account') {
    // Only the orgs the account may open (`org.view`): a site admin of a centralized org administers no org.
    const candidates = [...new Set((await listAdminRolesOfAccount(db, actor.accountId)).map((r) => r.orgId))];
    const allowed = await Promise.all(candidates.map((orgId) => can(db, actor, 'org.view', { orgId })));
    orgIds = candidates.filter((_, i) => allowed[i]);
  } else
    throw new AppError(
      'auth.unauthenticated',
      'Authenticate with an org API key (Bearer) or an admin account.',
    );
  return listOrganizationsByIds(db, orgIds, input.afterId, input.limit);
}
