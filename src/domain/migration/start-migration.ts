import { createHash } from 'node:crypto';
import { insertTaskItems } from '#src/db/queries/migration/migration-task-items.queries.ts';
import {
  findLiveTaskByDedupeKey,
  insertTaskUnlessLive,
  type MigrationTaskRow,
} from '#src/db/queries/migration/migration-tasks.queries.ts';
import { newId } from '#src/shared/ids.ts';
import { recordEvent } from '../audit/record-event.ts';
import { actorRef } from '../policies/actor.ts';
import { assertCan } from '../policies/can.ts';
import type { SiteTenant, UseCaseContext } from '../use-case.ts';
import { type CustomerSelection, resolveCustomers } from './resolve-customers.ts';

export interface StartMigrationInput extends CustomerSelection {
  includeRevoked?: boolean;
  /** Customer ids whose unverified same-email account the admin confirmed linking to. */
  confirmUnverifiedLinks?: string[];
}

/** The dedupe key of a start: the same customers (in any order) with the same options give the same key. */
export function migrationDedupeKey(customerIds: string[], includeRevoked: boolean, confirmed: string[]) {
  const canonical = JSON.stringify([[...customerIds].sort(), includeRevoked, [...confirmed].sort()]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Starts a background migration of up to 1,000 customers of one site: the task, its items (in the order given)
 * and the `migration.run-task` job are written in ONE transaction, so a task exists exactly when its job does.
 * A repeated start for the same customers while a task is queued or running returns that task (`created:
 * false`); the partial unique index on the dedupe key makes this hold under concurrent starts too.
 * @throws {AppError} `auth.forbidden`, `directory.org_not_found`, `directory.site_not_found`,
 *   `migration.too_many`, `migration.mixed_sites`, `migration.not_found`, `request.invalid_input`
 */
export async function startMigration(
  ctx: UseCaseContext<SiteTenant>,
  selection: Omit<StartMigrationInput, keyof SiteTenant>,
): Promise<{ task: MigrationTaskRow; created: boolean }> {
  const { services, actor } = ctx;
  const input: StartMigrationInput = { ...selection, ...ctx.tenant };
  await assertCan(services.db, actor, 'customers.migrate', { orgId: input.orgId, siteId: input.siteId });
  const { site, customers } = await resolveCustomers(services.db, input);
  const customerIds = customers.map((c) => c.id);
  const includeRevoked = input.includeRevoked ?? false;
  const wanted = new Set(customerIds);
  const confirmed = [...new Set(input.confirmUnverifiedLinks ?? [])].filter((id) => wanted.has(id));
  const dedupeKey = migrationDedupeKey(customerIds, includeRevoked, confirmed);

  return services.db.transaction(async (tx) => {
    const task = await insertTaskUnlessLive(tx, {
      id: newId(),
      orgId: input.orgId,
      siteId: site.id,
      requestedBy: actorRef(actor),
      requestedByActor: { ...actor },
      includeRevoked: includeRevoked ? 'yes' : 'no',
      confirmedLinks: confirmed,
      dedupeKey,
      total: customerIds.length,
    });
    if (!task) {
      // A live task of the same customers exists, or another start won the race: its task is committed (the unique
      // index made us wait for it).
      const winner = await findLiveTaskByDedupeKey(tx, site.id, dedupeKey);
      if (winner) return { task: winner, created: false };
      throw new Error('migration task dedupe conflict without a live task');
    }
    await insertTaskItems(
      tx,
      customerIds.map((customerId, position) => ({ taskId: task.id, customerId, position })),
    );
    await services.queue.enqueue('migration.run-task', { taskId: task.id }, { tx, singletonKey: task.id });
    await recordEvent(tx, services.clock, {
      orgId: input.orgId,
      action: 'customer_migration.started',
      actor,
      target: { type: 'migration_task', id: task.id },
      siteId: site.id,
      data: { total: customerIds.length, includeRevoked, confirmedLinks: confirmed.length },
    });
    return { task, created: true };
  });
}
