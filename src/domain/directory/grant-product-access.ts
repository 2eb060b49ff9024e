import type { Executor } from '#src/db/client.ts';
import { findDefaultGroup, insertGroupMember } from '#src/db/queries/directory/groups.queries.ts';
import { findOrgMembership } from '#src/db/queries/directory/org-memberships.queries.ts';
import {
  countSeatsUsed,
  holdsBillableRole,
  lockProduct,
} from '#src/db/queries/directory/products.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';

export interface GrantProductAccessInput {
  orgId: string;
  productId: string;
  accountId: string;
  role: 'customer' | 'user' | 'admin';
}

/**
 * Grants a product role by adding the account to the role's default group. A billable role
 * (anything but `customer`) needs a free seat: the product row is locked while seats are counted,
 * so parallel grants can never pass the limit.
 * @throws {AppError} `directory.product_not_found`, `directory.not_a_member`, `directory.no_seats_left`
 */
export async function grantProductAccess(
  services: Pick<AppServices, 'db' | 'clock'>,
  actor: Actor,
  input: GrantProductAccessInput,
  tx?: Executor,
): Promise<{ seatsUsed: number; seatLimit: number }> {
  const run = async (db: Executor) => {
    const product = await lockProduct(db, input.productId);
    if (!product || product.orgId !== input.orgId) {
      throw new AppError('directory.product_not_found', 'No such product in this organization.');
    }
    const membership = await findOrgMembership(db, input.orgId, input.accountId);
    if (!membership)
      throw new AppError('directory.not_a_member', 'The account is not a member of this organization.');
    const group = await findDefaultGroup(db, product.id, input.role);
    if (!group)
      throw new AppError(
        'directory.group_not_found',
        `The product has no default group for role ${input.role}.`,
      );
    let seatsUsed = await countSeatsUsed(db, product.id);
    if (input.role !== 'customer' && !(await holdsBillableRole(db, product.id, input.accountId))) {
      if (seatsUsed >= product.seatLimit) {
        throw new AppError(
          'directory.no_seats_left',
          `${product.name} has no seat left: ${seatsUsed} of ${product.seatLimit} are used. Remove a user or raise the limit.`,
          { data: { productId: product.id, seatsUsed, seatLimit: product.seatLimit } },
        );
      }
      seatsUsed += 1;
    }
    await insertGroupMember(db, input.orgId, group.id, input.accountId);
    await recordEvent(db, services.clock, {
      orgId: input.orgId,
      action: 'product_access.granted',
      actor,
      target: { type: 'account', id: input.accountId },
      siteId: product.siteId,
      data: { productId: product.id, productKey: product.key, role: input.role, groupId: group.id },
    });
    return { seatsUsed, seatLimit: product.seatLimit };
  };
  return tx ? run(tx) : services.db.transaction(run);
}
