import type { Executor } from '#src/db/client.ts';
import {
  type BatchCustomerRow,
  type BatchTarget,
  claimTaskItems,
  createBatchTargets,
  lockBatchCustomers,
  repointBatchReferences,
  useGenericPlans,
} from '#src/db/queries/migration/batch.queries.ts';
import {
  finalizeMigrations,
  type MigratedCustomer,
  type WelcomeMail,
} from '#src/db/queries/migration/migration-steps.queries.ts';
import { finishTaskRun, type MigrationTaskRow } from '#src/db/queries/migration/migration-tasks.queries.ts';
import { hashSecret, newAccountId, newId, newSecret, newUserKey } from '#src/shared/ids.ts';
import { TOKEN_TTL_MS } from '../accounts/auth-tokens.ts';
import { recordEventsInOneChain } from '../audit/record-event.ts';
import { type Actor, actorRef } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import type { PreparedSite } from './migrate-customer.ts';
import { migrationWelcomeMessage } from './migration-mail.ts';

/**
 * A customer with more rows than this in one table migrates on its own (a batch of such histories would hold its
 * locks too long), or in chunks past the chunk size.
 */
export const BATCH_HISTORY_LIMIT = 100;

/** What a batch did: the customers it migrated, and those left for one-by-one migration. */
export interface BatchOutcome {
  migrated: string[];
  /** Claimed by no other runner but not for a batch: refusals to record, chunked or resumed ones, big histories. */
  oneByOne: string[];
  /** The status the task ended with, when the batch was asked to end it (`endsTask`) and left nothing pending. */
  taskEnded?: MigrationTaskRow['status'];
}

/**
 * Migrates a batch of a task's customers in ONE transaction with a fixed number of statements, whatever the batch
 * holds (issue 13: set-based). The same effects as `migrateCustomer` for each, exactly once: the items are
 * claimed `FOR UPDATE SKIP LOCKED`, the customers and their site users locked `FOR UPDATE` (the write protocol),
 * and every write of every customer, its audit event, its welcome mail and its item's completion commit together.
 *
 * Only the plain cases go in: a customer to refuse (already migrated, deleted, revoked, unverified twin), one in
 * the middle of a chunked migration and one with a big history are left pending, in `oneByOne`, for
 * `runMigrationItem`, which records the refusal or migrates it alone. An error rolls the whole batch back; the
 * caller then migrates its customers one by one.
 */
export async function migrateCustomerBatch(
  tx: Executor,
  services: Pick<AppServices, 'clock' | 'config' | 'queue'>,
  actor: Actor,
  task: MigrationTaskRow,
  prepared: PreparedSite,
  customerIds: string[],
  options: { historyLimit?: number; endsTask?: boolean } = {},
): Promise<BatchOutcome> {
  const { historyLimit = BATCH_HISTORY_LIMIT, endsTask = false } = options;
  const claimed = await claimTaskItems(tx, task.id, customerIds);
  const plain = claimed.filter((item) => !item.resumed).map((item) => item.customerId);
  if (plain.length) await useGenericPlans(tx);
  const locked = plain.length ? await lockBatchCustomers(tx, task.siteId, plain, historyLimit) : [];
  const batch = locked.filter((c) => isPlain(task, c));
  const oneByOne = claimed
    .map((item) => item.customerId)
    .filter((id) => !batch.some((c) => c.customerId === id));
  if (batch.length === 0) return { migrated: [], oneByOne };

  const { site, customerGroupId } = prepared;
  const tenant = { orgId: task.orgId, siteId: task.siteId };
  const targets = batch.map(targetOf);
  await createBatchTargets(tx, tenant, targets);
  const counts = await repointBatchReferences(
    tx,
    batch.map((c, i) => ({ oldSiteUserId: c.siteUserId, newSiteUserId: targets[i]!.siteUserId })),
  );
  const now = services.clock.now();
  const migrated: MigratedCustomer[] = batch.map((c, i) => ({
    customerId: c.customerId,
    accountId: targets[i]!.accountId,
    oldSiteUserId: c.siteUserId,
    newSiteUserId: targets[i]!.siteUserId,
    email: c.email!,
    oldUserKey: c.userKey,
    newUserKey: targets[i]!.userKey,
    outcome: targets[i]!.newAccount ? 'created' : 'linked',
    counts: counts.get(c.siteUserId)!,
  }));
  const welcomes = targets.flatMap((t): WelcomeMail[] => {
    if (!t.newAccount) return [];
    const secret = newSecret();
    return [
      {
        tokenId: newId(),
        tokenHash: hashSecret(secret),
        accountId: t.accountId,
        email: t.newAccount.email,
        expiresAt: new Date(now.getTime() + TOKEN_TTL_MS.set_password),
        messageId: newId(),
        ...migrationWelcomeMessage(services, { siteName: site.name, name: t.newAccount.name }, secret),
      },
    ];
  });
  const finished = await finalizeMigrations(tx, {
    ...tenant,
    customerGroupId,
    taskId: task.id,
    migratedBy: actorRef(actor),
    at: now,
    migrated,
    welcomes,
  });
  // Every customer was locked and its item claimed above: anything else is a bug, and nothing may commit.
  if (finished !== batch.length)
    throw new Error(`migration batch finished ${finished} of ${batch.length} items`);
  // A batch that holds every customer of the task ends it too, in the same commit (no statement after it). The task
  // row is locked before the audit chain's head, in the order a cancel takes them. Anything still pending (a
  // refusal left for one by one) leaves the task running, and the runner ends it as usual.
  const taskEnded = endsTask ? await finishTaskRun(tx, task.id, now) : undefined;
  await recordEventsInOneChain(
    tx,
    services.clock,
    migrated.map((m) => ({
      orgId: task.orgId,
      action: 'customer.migrated',
      actor,
      target: { type: 'customer', id: m.customerId },
      siteId: site.id,
      data: {
        accountId: m.accountId,
        outcome: m.outcome,
        oldUserKey: m.oldUserKey,
        newUserKey: m.newUserKey,
        counts: m.counts,
        taskId: task.id,
      },
    })),
  );
  // One delivery job for the batch's welcome mails (a job per message cost four statements each).
  if (welcomes.length > 0)
    await services.queue.enqueue('mail.deliver', { messageIds: welcomes.map((w) => w.messageId) }, { tx });
  return { migrated: migrated.map((m) => m.customerId), oneByOne, taskEnded };
}

/** A customer the batch can migrate as it is: nothing to refuse, nothing under way, a small history. */
function isPlain(task: MigrationTaskRow, c: BatchCustomerRow): boolean {
  const allowed = c.status === 'active' || (c.status === 'revoked' && task.includeRevoked === 'yes');
  const twinOk = !c.twinAccountId || c.twinVerified || task.confirmedLinks.includes(c.customerId);
  return allowed && twinOk && c.small && c.email !== null && c.replacedBy === null;
}

/** The account a customer becomes (its email's, or a new one) and that account's site user on the site. */
function targetOf(c: BatchCustomerRow): BatchTarget {
  if (c.twinAccountId) {
    const siteUserId = c.twinSiteUserId ?? newId();
    return {
      accountId: c.twinAccountId,
      newAccount: null,
      siteUserId,
      userKey: c.twinUserKey ?? newUserKey(),
      newSiteUser: c.twinSiteUserId === null,
    };
  }
  return {
    accountId: newAccountId(),
    newAccount: { email: c.email!.trim(), name: c.displayName.trim() },
    siteUserId: newId(),
    userKey: newUserKey(),
    newSiteUser: true,
  };
}
