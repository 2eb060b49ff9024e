import {
  deleteGroupMembers,
  deleteGroup as deleteGroupRow,
  findGroup,
  type GroupRow,
  insertGroup,
  insertGroupMember,
} from '#src/db/queries/directory/groups.queries.ts';
import { listMemberIds } from '#src/db/queries/directory/org-memberships.queries.ts';
import {
  countSeatsUsed,
  findBillableAccounts,
  lockProduct,
} from '#src/db/queries/directory/products.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { CUSTOMER_ID_PATTERN, newId } from '#src/shared/ids.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { Actor } from '../policies/actor.ts';
import { assertCan } from '../policies/can.ts';
import type { AppServices } from '../services.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

type Services = Pick<AppServices, 'db' | 'clock'>;

/** Loads a group of the org after checking `groups.manage` (site-scoped groups: that site's admins in original). */
async function authorizeGroup(
  services: Services,
  actor: Actor,
  orgId: string,
  groupId: string,
): Promise<GroupRow> {
  const org = await assertCan(services.db, actor, 'groups.manage', { orgId });
  const group = await findGroup(services.db, org.id, groupId);
  if (!group) throw new AppError('directory.group_not_found', `No group ${groupId} in this organization.`);
  return group;
}

/** Like `authorizeGroup`, but lets a site admin (original experience) manage the groups of their site. */
async function authorizeGroupChange(services: Services, actor: Actor, orgId: string, groupId: string) {
  const org = await assertCan(services.db, actor, 'users.view', { orgId });
  const group = await findGroup(services.db, org.id, groupId);
  if (!group) throw new AppError('directory.group_not_found', `No group ${groupId} in this organization.`);
  await assertCan(services.db, actor, 'groups.manage', { orgId, siteId: group.siteId ?? undefined });
  return group;
}

/**
 * Creates an org-level group (no product role). Names are unique per org, case-insensitively, and immutable.
 * @throws {AppError} `directory.group_name_in_use`, plus access errors
 */
export async function createGroup(
  ctx: UseCaseContext<OrgTenant>,
  input: { name: string; description?: string; ip?: string | null },
): Promise<GroupRow> {
  const { services, actor } = ctx;
  const org = await assertCan(services.db, actor, 'groups.manage', { orgId: ctx.tenant.orgId });
  return services.db.transaction(async (tx) => {
    const group = await insertGroup(tx, {
      id: newId(),
      orgId: org.id,
      name: input.name.trim(),
      description: input.description?.trim() ?? '',
    });
    await recordEvent(tx, services.clock, {
      orgId: org.id,
      action: 'group.created',
      actor,
      ip: input.ip,
      target: { type: 'group', id: group.id },
      data: { name: group.name },
    });
    return group;
  });
}

/**
 * Group names cannot be changed after creation (F42); this always refuses, after the usual checks.
 * @throws {AppError} `directory.group_rename_forbidden`, `directory.group_not_found`, plus access errors
 */
export async function renameGroup(
  ctx: UseCaseContext<OrgTenant>,
  input: { groupId: string },
): Promise<never> {
  const { services, actor } = ctx;
  await authorizeGroup(services, actor, ctx.tenant.orgId, input.groupId);
  throw new AppError(
    'directory.group_rename_forbidden',
    "A group's name can't be changed after it is created. Create a new group and move the members.",
  );
}

/**
 * Deletes a group; default access groups cannot be deleted (F42). Members lose the group's role.
 * @throws {AppError} `directory.group_is_default`, `directory.group_not_found`, plus access errors
 */
export async function deleteGroup(
  ctx: UseCaseContext<OrgTenant>,
  input: { groupId: string; ip?: string | null },
) {
  const { services, actor } = ctx;
  const group = await authorizeGroup(services, actor, ctx.tenant.orgId, input.groupId);
  if (group.isDefault)
    throw new AppError(
      'directory.group_is_default',
      `${group.name} is a default access group and can't be deleted.`,
    );
  await services.db.transaction(async (tx) => {
    await deleteGroupRow(tx, group.id);
    await recordEvent(tx, services.clock, {
      orgId: group.orgId,
      action: 'group.deleted',
      actor,
      ip: input.ip,
      target: { type: 'group', id: group.id },
      data: { name: group.name },
    });
  });
}

/**
 * Adds org members to a group. Portal-only customers can never join (F7); a group granting a billable product
 * role needs a free seat for each new holder (the product row is locked while seats are counted).
 * @throws {AppError} `directory.portal_only_cannot_join`, `directory.not_a_member`, `directory.no_seats_left`,
 * `directory.group_not_found`, plus access errors
 */
export async function addGroupMembers(
  ctx: UseCaseContext<OrgTenant>,
  input: { groupId: string; accountIds: string[]; ip?: string | null },
): Promise<{ added: number }> {
  const { services, actor } = ctx;
  const portalOnly = input.accountIds.filter((id) => id.startsWith('qm:') || CUSTOMER_ID_PATTERN.test(id));
  if (portalOnly.length > 0) {
    throw new AppError(
      'directory.portal_only_cannot_join',
      "Portal-only customers can't be added to any group.",
      {
        data: { accountIds: portalOnly },
      },
    );
  }
  const group = await authorizeGroupChange(services, actor, ctx.tenant.orgId, input.groupId);
  const accountIds = [...new Set(input.accountIds)];
  return services.db.transaction(async (tx) => {
    const product = group.productId ? await lockProduct(tx, group.productId) : undefined;
    const members = new Set(await listMemberIds(tx, group.orgId, accountIds));
    const strangers = accountIds.filter((id) => !members.has(id));
    if (strangers.length > 0) {
      throw new AppError('directory.not_a_member', 'Some accounts are not members of this organization.', {
        data: { accountIds: strangers },
      });
    }
    if (product && group.role !== 'customer') {
      const holders = await findBillableAccounts(tx, product.id, accountIds);
      const newSeats = accountIds.filter((id) => !holders.has(id)).length;
      const seatsUsed = await countSeatsUsed(tx, product.id);
      if (seatsUsed + newSeats > product.seatLimit) {
        throw new AppError(
          'directory.no_seats_left',
          `${product.name} has ${product.seatLimit - seatsUsed} seat(s) left; adding these members needs ${newSeats}.`,
          { data: { productId: product.id, seatsUsed, seatLimit: product.seatLimit, needed: newSeats } },
        );
      }
    }
    for (const accountId of accountIds) await insertGroupMember(tx, group.orgId, group.id, accountId);
    await recordEvent(tx, services.clock, {
      orgId: group.orgId,
      action: 'group.members_added',
      actor,
      ip: input.ip,
      target: { type: 'group', id: group.id },
      siteId: group.siteId,
      data: { accountIds },
    });
    return { added: accountIds.length };
  });
}

/**
 * Removes members from a group (absent ones are ignored).
 * @throws {AppError} `directory.group_not_found`, plus access errors
 */
export async function removeGroupMembers(
  ctx: UseCaseContext<OrgTenant>,
  input: { groupId: string; accountIds: string[]; ip?: string | null },
): Promise<{ removed: number }> {
  const { services, actor } = ctx;
  const group = await authorizeGroupChange(services, actor, ctx.tenant.orgId, input.groupId);
  return services.db.transaction(async (tx) => {
    const removed = await deleteGroupMembers(tx, group.id, [...new Set(input.accountIds)]);
    await recordEvent(tx, services.clock, {
      orgId: group.orgId,
      action: 'group.members_removed',
      actor,
      ip: input.ip,
      target: { type: 'group', id: group.id },
      siteId: group.siteId,
      data: { accountIds: input.accountIds, removed },
    });
    return { removed };
  });
}
