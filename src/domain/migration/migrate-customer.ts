import type { Executor } from '#src/db/client.ts';
import {
  findAccountByEmail,
  insertAccount,
  insertOrgMembership,
} from '#src/db/queries/directory/accounts.queries.ts';
import { findGroupByName, insertGroup } from '#src/db/queries/directory/groups.queries.ts';
import { listProducts } from '#src/db/queries/directory/products.queries.ts';
import { insertSiteUser } from '#src/db/queries/directory/site-users.queries.ts';
import { findSite, type SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import {
  finalizeCustomerMigration,
  finishTaskItem,
  lockPortalCustomer,
} from '#src/db/queries/migration/migration-tasks.queries.ts';
import {
  lockSiteUserForRepointing,
  repointSiteUserReferences,
} from '#src/db/queries/migration/repoint.queries.ts';
import type { MigrationCounts } from '#src/db/schema/index.ts';
import { AppError } from '#src/shared/errors.ts';
import { newAccountId, newId, newUserKey } from '#src/shared/ids.ts';
import { recordEvent } from '../audit/record-event.ts';
import { customerGroupName } from '../directory/default-groups.ts';
import { ensureAccountSiteUser } from '../directory/site-users.ts';
import { type Actor, actorRef } from '../policies/actor.ts';
import { assertCan } from '../policies/can.ts';
import type { AppServices } from '../services.ts';
import { queueMigrationWelcomeMail } from './migration-mail.ts';

export interface MigrateCustomerInput {
  orgId: string;
  siteId: string;
  customerId: string;
  /** Allow migrating a revoked ("Deactivated") customer. */
  includeRevoked?: boolean;
  /** The admin confirmed linking to an account with the same, unverified, email. */
  confirmUnverifiedLink?: boolean;
  /** The task this migration belongs to: its item is marked succeeded in the same transaction. */
  taskId?: string;
  /** Site and customer group resolved once per task by the runner (saves two reads per customer). */
  prepared?: PreparedSite;
}

/** What every customer of a site's migration needs: the site and its customer group. */
export interface PreparedSite {
  site: SiteRow;
  customerGroupId: string;
}

/**
 * Loads the site and finds (or creates, granting only the free Customer role) the group
 * `jira-servicemanagement-customers-<site>`, in the caller's transaction.
 * @throws {AppError} `migration.not_found` when the site is not in the org
 */
export async function prepareSite(tx: Executor, orgId: string, siteId: string): Promise<PreparedSite> {
  const site = await findSite(tx, orgId, siteId);
  if (!site) throw new AppError('migration.not_found', 'No such site.');
  const groupName = customerGroupName(site.name);
  let group = await findGroupByName(tx, orgId, groupName);
  if (!group) {
    const jsm = (await listProducts(tx, orgId, site.id)).find((p) => p.key === 'jira-servicemanagement');
    group = await insertGroup(tx, {
      id: newId(),
      orgId,
      siteId: site.id,
      name: groupName,
      description: 'Grants the Jira Service Management Customer role (no seat).',
      isDefault: true,
      productId: jsm?.id ?? null,
      role: jsm ? 'customer' : null,
    });
  }
  return { site, customerGroupId: group.id };
}

export interface MigrateCustomerResult {
  customerId: string;
  accountId: string;
  outcome: 'linked' | 'created';
  oldUserKey: string;
  newUserKey: string;
  counts: MigrationCounts;
}

/** Refusals a migration answers with; anything else is unexpected (the job retries it). */
export const MIGRATION_REFUSALS = [
  'migration.not_found',
  'migration.already_migrated',
  'migration.customer_deleted',
  'migration.customer_revoked',
  'migration.unverified_twin',
  'customers.invalid_state',
] as const;

/**
 * Migrates one portal-only customer to an account, entirely inside the caller's transaction `tx`, so that every
 * effect (account, membership, site user, re-pointed references, retired user key, customer state, sessions
 * ended, customer group, mapping row, audit event and the task item's completion) commits exactly once.
 *
 * The customer row is locked first (`FOR UPDATE`), so concurrent attempts on the same customer serialize and the
 * later one sees `migrated` and is refused.
 *
 * @remarks Chunking plan for very large histories: `repointSiteUserReferences` is idempotent (it only touches
 * rows still pointing at the old site user), so it can run in bounded chunks (`… where ctid in (select … limit
 * N)`) in short transactions while the customer is `migrating` (the state keeps its email reserved and the login
 * blocked), and this function then runs as the final short transaction that moves the remainder and commits the
 * rest. Today one statement moves everything: ≈100 ms for 1,000 requests.
 * @throws {AppError} `migration.not_found`, `migration.already_migrated` (data.accountId),
 *   `migration.customer_deleted`, `migration.customer_revoked`, `migration.unverified_twin` (data.accountId),
 *   `customers.invalid_state`
 */
export async function migrateCustomer(
  tx: Executor,
  services: Pick<AppServices, 'clock' | 'config' | 'queue'>,
  actor: Actor,
  input: MigrateCustomerInput,
): Promise<MigrateCustomerResult> {
  const locked = await lockPortalCustomer(tx, input.siteId, input.customerId);
  const customer = locked?.customer;
  if (!customer || customer.orgId !== input.orgId) {
    throw new AppError('migration.not_found', `No portal-only customer ${input.customerId} on this site.`);
  }
  if (customer.status === 'migrated') {
    throw new AppError('migration.already_migrated', 'This customer was already migrated to an account.', {
      data: { customerId: customer.id, accountId: customer.migratedToAccountId },
    });
  }
  if (customer.status === 'deleted') {
    throw new AppError('migration.customer_deleted', 'A deleted customer cannot be migrated.', {
      data: { customerId: customer.id },
    });
  }
  if (customer.status === 'revoked' && !input.includeRevoked) {
    throw new AppError(
      'migration.customer_revoked',
      'This customer’s access is revoked; pass includeRevoked to migrate it anyway.',
      { data: { customerId: customer.id } },
    );
  }
  const email = customer.email;
  const oldSiteUser = locked?.siteUser;
  if (!email || !oldSiteUser) {
    throw new AppError('customers.invalid_state', 'This customer has no email or user key to migrate.');
  }
  // The write protocol: from here until commit, writers referencing the old site user wait (their guard trigger
  // reads it FOR SHARE), and those that got there first have committed, so the re-pointing below sees their rows.
  await lockSiteUserForRepointing(tx, oldSiteUser.id);
  const { site, customerGroupId } = input.prepared ?? (await prepareSite(tx, input.orgId, input.siteId));

  const now = services.clock.now();
  const twin = await findAccountByEmail(tx, email);
  let accountId: string;
  let outcome: 'linked' | 'created';
  if (twin) {
    if (!twin.emailVerifiedAt && !input.confirmUnverifiedLink) {
      throw new AppError(
        'migration.unverified_twin',
        'An account with this email exists but its email is not verified; confirm the link explicitly.',
        { data: { customerId: customer.id, accountId: twin.id } },
      );
    }
    accountId = twin.id;
    outcome = 'linked';
    await insertOrgMembership(tx, input.orgId, accountId);
  } else {
    // The twin lookup above was the email check; the creation is recorded in the `customer.migrated` event.
    const account = await insertAccount(tx, {
      id: newAccountId(),
      email: email.trim(),
      name: customer.displayName.trim(),
      passwordHash: null,
      emailVerifiedAt: null,
    });
    await insertOrgMembership(tx, input.orgId, account.id);
    accountId = account.id;
    outcome = 'created';
    await queueMigrationWelcomeMail(tx, services, {
      orgId: input.orgId,
      siteId: site.id,
      siteName: site.name,
      accountId,
      email: account.email,
      name: account.name,
    });
  }

  // A new account has no site user yet; a linked one keeps its existing user key on the site if it has one.
  const newSiteUser =
    outcome === 'created'
      ? await insertSiteUser(tx, {
          id: newId(),
          orgId: input.orgId,
          siteId: site.id,
          userKey: newUserKey(),
          kind: 'account',
          accountId,
        })
      : await ensureAccountSiteUser(tx, { orgId: input.orgId, siteId: site.id, accountId });
  const counts = await repointSiteUserReferences(tx, oldSiteUser.id, newSiteUser.id);
  const result: MigrateCustomerResult = {
    customerId: customer.id,
    accountId,
    outcome,
    oldUserKey: oldSiteUser.userKey,
    newUserKey: newSiteUser.userKey,
    counts,
  };
  await finalizeCustomerMigration(tx, {
    orgId: input.orgId,
    siteId: site.id,
    customerId: customer.id,
    oldSiteUserId: oldSiteUser.id,
    newSiteUserId: newSiteUser.id,
    accountId,
    customerGroupId,
    email,
    oldUserKey: result.oldUserKey,
    newUserKey: result.newUserKey,
    outcome,
    counts,
    taskId: input.taskId ?? null,
    migratedBy: actorRef(actor),
    at: now,
  });
  await recordEvent(tx, services.clock, {
    orgId: input.orgId,
    action: 'customer.migrated',
    actor,
    target: { type: 'customer', id: customer.id },
    siteId: site.id,
    data: {
      accountId,
      outcome,
      oldUserKey: result.oldUserKey,
      newUserKey: result.newUserKey,
      counts,
      taskId: input.taskId ?? null,
    },
  });
  if (input.taskId) {
    await finishTaskItem(tx, input.taskId, customer.id, {
      status: 'succeeded',
      accountId,
      outcome,
      counts,
      finishedAt: now,
    });
  }
  return result;
}

/**
 * Migrates one customer right now, in its own short transaction, after the permission check (for callers that
 * do not need a background task, such as tests and the seed).
 * @throws {AppError} the refusals of `migrateCustomer`, `auth.forbidden`, `directory.org_not_found`
 */
export async function migrateCustomerNow(
  services: AppServices,
  actor: Actor,
  input: Omit<MigrateCustomerInput, 'taskId'>,
): Promise<MigrateCustomerResult> {
  await assertCan(services.db, actor, 'customers.migrate', { orgId: input.orgId, siteId: input.siteId });
  return services.db.transaction((tx) => migrateCustomer(tx, services, actor, input));
}
