import type { Executor } from '#src/db/client.ts';
import { findSiteUserOfCustomer } from '#src/db/queries/directory/site-users.queries.ts';
import { beginMigratingState } from '#src/db/queries/migration/migration-steps.queries.ts';
import {
  lockTaskItem,
  updateTaskItemCounts,
} from '#src/db/queries/migration/migration-task-items.queries.ts';
import {
  lockSiteUserForRepointing,
  type RepointCursor,
  repointSiteUserReferences,
} from '#src/db/queries/migration/repoint.queries.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import {
  addCounts,
  lockCustomerForMigration,
  type MigrateCustomerInput,
  NO_COUNTS,
  prepareSite,
  resolveMigrationTarget,
} from './migrate-customer.ts';

/*
 * A customer with a huge history cannot move in one short transaction, so it moves in three steps, each of them
 * short and each resumable after a crash (docs/ARCHITECTURE.md, "Chunked migration"):
 * 1. `startChunkedMigration`: the account is linked or created, the customer becomes `migrating` (email reserved,
 *    portal login refused) and its site user gets `replaced_by` under FOR UPDATE: from then on every new
 *    reference is redirected by the guard trigger, so the old site user's set of rows only shrinks;
 * 2. `moveChunk`, repeated: at most `limit` rows of each table re-pointed, and the item's running counts updated,
 *    in one transaction;
 * 3. `migrateCustomer` (the finishing transaction): the remainder, account activation mail, mapping, audit event,
 *    completion.
 */

/**
 * Step 1, in the caller's transaction (the task item is locked and pending). A customer already `migrating` is
 * left as it is (a resumed task).
 * @throws {AppError} the refusals of `migrateCustomer`
 */
export async function startChunkedMigration(
  tx: Executor,
  services: Pick<AppServices, 'clock'>,
  actor: Actor,
  input: MigrateCustomerInput & { taskId: string },
): Promise<void> {
  const { customer, oldSiteUser } = await lockCustomerForMigration(tx, input);
  if (customer.status === 'migrating') return;
  await lockSiteUserForRepointing(tx, oldSiteUser.id);
  const site = input.prepared?.site ?? (await prepareSite(tx, input.orgId, input.siteId)).site;
  const target = await resolveMigrationTarget(tx, input, site, customer);
  await beginMigratingState(tx, {
    taskId: input.taskId,
    customerId: customer.id,
    oldSiteUserId: oldSiteUser.id,
    newSiteUserId: target.newSiteUser.id,
    accountId: target.accountId,
    outcome: target.outcome,
    counts: NO_COUNTS,
    at: services.clock.now(),
  });
  await recordEvent(tx, services.clock, {
    orgId: input.orgId,
    action: 'customer.migration_started',
    actor,
    target: { type: 'customer', id: customer.id },
    siteId: site.id,
    data: { accountId: target.accountId, outcome: target.outcome, taskId: input.taskId, chunked: true },
  });
}

/**
 * Step 2: re-points at most `limit` rows of each table in its own short transaction and adds what moved to the
 * item's counts. Idempotent: it only moves what still points at the old site user. `after` is the previous
 * chunk's cursor (each table resumes after the last key moved); without one a chunk starts from the beginning, as
 * after a crash, and finds the same rows.
 * @returns the number of rows moved (0 when nothing is left, or the item is no longer pending) and the cursor
 */
export async function moveChunk(
  services: Pick<AppServices, 'db'>,
  taskId: string,
  customerId: string,
  limit: number,
  after?: RepointCursor,
): Promise<{ rows: number; cursor?: RepointCursor }> {
  return services.db.transaction(async (tx) => {
    const item = await lockTaskItem(tx, taskId, customerId);
    if (item?.status !== 'pending') return { rows: 0 };
    const oldSiteUser = await findSiteUserOfCustomer(tx, customerId);
    if (!oldSiteUser?.replacedBy || oldSiteUser.status !== 'active') return { rows: 0 };
    // The write protocol holds in every chunk: the old site user is locked like in the finishing transaction.
    await lockSiteUserForRepointing(tx, oldSiteUser.id, { chunk: true });
    const moved = await repointSiteUserReferences(tx, oldSiteUser.id, oldSiteUser.replacedBy, {
      limit,
      after,
    });
    if (moved.rows > 0)
      await updateTaskItemCounts(tx, taskId, customerId, addCounts(item.counts, moved.counts));
    return { rows: moved.rows, cursor: moved.cursor };
  });
}
