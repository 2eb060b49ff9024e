import { countGroupMembers, findGroup, type GroupRow } from '#src/db/queries/directory/groups.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

/**
 * One group of the org with its member count (the `links.self` of a listed group), for those who may list them.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`, `directory.group_not_found`
 */
export async function getOrgGroup(
  ctx: UseCaseContext<OrgTenant>,
  input: { groupId: string },
): Promise<{ group: GroupRow; members: number }> {
  const org = await assertCan(ctx.services.db, ctx.actor, 'org.directory.view', ctx.tenant);
  const group = await findGroup(ctx.services.db, org.id, input.groupId);
  if (!group)
    throw new AppError('directory.group_not_found', `No group ${input.groupId} in this organization.`);
  return { group, members: await countGroupMembers(ctx.services.db, org.id, group.id) };
}
