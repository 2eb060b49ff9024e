import { listGroups } from '#src/db/queries/directory/groups.queries.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

/**
 * A page of the org's groups, ordered by name, each with its member count.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`
 */
export async function listOrgGroups(
  ctx: UseCaseContext<OrgTenant>,
  input: { permission: 'org.directory.view' | 'users.view'; afterName?: string; limit: number },
) {
  const org = await assertCan(ctx.services.db, ctx.actor, input.permission, ctx.tenant);
  return { org, groups: await listGroups(ctx.services.db, org.id, input.afterName, input.limit) };
}
