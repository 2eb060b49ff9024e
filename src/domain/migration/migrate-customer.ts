import type { Executor } from '#src/db/client.ts';
import { lockPortalCustomer } from '#src/db/queries/customers/portal-customers.queries.ts';
import {
  findAccount,
  findAccountByEmail,
  insertAccount,
} from '#src/db/queries/directory/accounts.queries.ts';
import { findSiteWithGroup, insertGroup } from '#src/db/queries/directory/groups.queries.ts';
import { insertOrgMembership } from '#src/db/queries/directory/org-memberships.queries.ts';
import { listProducts } from '#src/db/queries/directory/products.queries.ts';
import {
  findSiteUserById,
  insertSiteUser,
  type SiteUserRow,
} from '#src/db/queries/directory/site-users.queries.ts';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { finalizeMigrations } from '#src/db/queries/migration/migration-steps.queries.ts';
import {
  lockSiteUserForRepointing,
  repointSiteUserReferences,
} from '#src/db/queries/migration/repoint.queries.ts';
import { type MigrationCounts, NO_MIGRATION_COUNTS, type portalCustomers } from '#src/db/schema/index.ts';
import { AppError } from '#src/shared/errors.ts';
import { newAccountId, newId, newUserKey } from '#src/shared/ids.ts';
import { recordEvent } from '../audit/record-event.ts';
import { CUSTOMER_GROUP_PREFIX, customerGroupName } from '../directory/default-groups.ts';
import { ensureAccountSiteUser } from '../directory/site-users.ts';
import { type Actor, actorRef } from '../policies/actor.ts';
import { assertCan } from '../policies/can.ts';
import type { AppServices } from '../services.ts';
import type { SiteTenant, UseCaseContext } from '../use-case.ts';
import { queueMigrationWelcomeMail } from './migration-mail.ts';

type PortalCustomerRow = typeof portalCustomers.$inferSelect;

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
  /** Finishing a chunked migration: the outcome chosen when it started and what the chunks moved. */
  resumed?: { outcome: 'linked' | 'created'; counts: MigrationCounts | null };
}

/** What every customer of a site's migration needs: the site and its customer group. */
export interface PreparedSite {
  site: SiteRow;
  customerGroupId: string;
}

/**
 * Loads the site with its group `jira-servicemanagement-customers-<site>` (one statement), creating that group,
 * granting only the free Customer role, when the site has none yet.
 * @throws {AppError} `migration.not_found` when the site is not in the org
 */
export async function prepareSite(db: Executor, orgId: string, siteId: string): Promise<PreparedSite> {
  const found = await findSiteWithGroup(db, orgId, siteId, CUSTOMER_GROUP_PREFIX);
  if (!found) throw new AppError('migration.not_found', 'No such site.');
  const { site, groupId } = found;
  if (groupId) return { site, customerGroupId: groupId };
  const jsm = (await listProducts(db, orgId, site.id)).find((p) => p.key === 'jira-servicemanagement');
  const group = await insertGroup(db, {
    id: newId(),
    orgId,
    siteId: site.id,
    name: customerGroupName(site.name),
    description: 'Grants the Jira Service Management Customer role (no seat).',
    isDefault: true,
    productId: jsm?.id ?? null,
    role: jsm ? 'customer' : null,
  });
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

/** A customer locked for migration, with its site user (the one being retired). */
export interface LockedCustomer {
  customer: PortalCustomerRow;
  oldSiteUser: SiteUserRow;
}

/**
 * Locks the customer row (`FOR UPDATE`: migrations of one customer serialize, the later one sees the new state)
 * and answers the refusals. A `migrating` customer (a chunked migration under way) is returned as it is.
 * @throws {AppError} `migration.not_found`, `migration.already_migrated` (data.accountId),
 *   `migration.customer_deleted`, `migration.customer_revoked`, `customers.invalid_state`
 */
export async function lockCustomerForMigration(
  tx: Executor,
  input: Pick<MigrateCustomerInput, 'orgId' | 'siteId' | 'customerId' | 'includeRevoked'>,
): Promise<LockedCustomer> {
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
  const oldSiteUser = locked?.siteUser;
  if (!customer.email || !oldSiteUser) {
    throw new AppError('customers.invalid_state', 'This customer has no email or user key to migrate.');
  }
  return { customer, oldSiteUser };
}

/** Who the customer becomes: the account (linked or created) and its site user on the site. */
export interface MigrationTarget {
  accountId: string;
  outcome: 'linked' | 'created';
  newSiteUser: SiteUserRow;
}

/**
 * Links the customer to the account with its email (or creates one, with no password yet), makes it a member of
 * the org and gives it a site user on the site (a new user key, or the one it already has there).
 * @throws {AppError} `migration.unverified_twin` (data.accountId) unless `confirmUnverifiedLink`
 */
export async function resolveMigrationTarget(
  tx: Executor,
  input: Pick<MigrateCustomerInput, 'orgId' | 'confirmUnverifiedLink'>,
  site: SiteRow,
  customer: PortalCustomerRow,
): Promise<MigrationTarget> {
  const email = customer.email!;
  const twin = await findAccountByEmail(tx, email);
  if (twin) {
    if (!twin.emailVerifiedAt && !input.confirmUnverifiedLink) {
      throw new AppError(
        'migration.unverified_twin',
        'An account with this email exists but its email is not verified; confirm the link explicitly.',
        { data: { customerId: customer.id, accountId: twin.id } },
      );
    }
    await insertOrgMembership(tx, input.orgId, twin.id);
    const newSiteUser = await ensureAccountSiteUser(tx, {
      orgId: input.orgId,
      siteId: site.id,
      accountId: twin.id,
    });
    return { accountId: twin.id, outcome: 'linked', newSiteUser };
  }
  // The twin lookup above was the email check; the creation is recorded in the `customer.migrated` event.
  const account = await insertAccount(tx, {
    id: newAccountId(),
    email: email.trim(),
    name: customer.displayName.trim(),
    passwordHash: null,
    emailVerifiedAt: null,
  });
  await insertOrgMembership(tx, input.orgId, account.id);
  const newSiteUser = await insertSiteUser(tx, {
    id: newId(),
    orgId: input.orgId,
    siteId: site.id,
    userKey: newUserKey(),
    kind: 'account',
    accountId: account.id,
  });
  return { accountId: account.id, outcome: 'created', newSiteUser };
}

/**
 * Migrates one portal-only customer to an account, entirely inside the caller's transaction `tx`, so that every
 * effect (account, membership, site user, re-pointed references, retired user key, customer state, sessions
 * ended, customer group, mapping row, audit event and the task item's completion) commits exactly once.
 *
 * Also the finishing transaction of a chunked migration (`migrate-customer-in-chunks.ts`): a `migrating` customer
 * already has its account (the old site user's `replaced_by`); this moves the remainder and commits the rest, with
 * `carried` (what the chunks moved) added to the counts.
 *
 * The write protocol: the old site user is locked `FOR UPDATE` before re-pointing (see `lockSiteUserForRepointing`).
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
  const { customer, oldSiteUser } = await lockCustomerForMigration(tx, input);
  // From here until commit, writers referencing the old site user wait (their guard trigger reads it FOR SHARE),
  // and those that got there first have committed, so the re-pointing below sees their rows.
  const lockedUser = await lockSiteUserForRepointing(tx, oldSiteUser.id);
  const { site, customerGroupId } = input.prepared ?? (await prepareSite(tx, input.orgId, input.siteId));
  const target =
    customer.status === 'migrating' && lockedUser?.replacedBy
      ? await chunkedTarget(tx, lockedUser.replacedBy, input.resumed?.outcome ?? 'linked')
      : await resolveMigrationTarget(tx, input, site, customer);
  const { accountId, outcome, newSiteUser } = target;
  const moved = await repointSiteUserReferences(tx, oldSiteUser.id, newSiteUser.id);
  const counts = addCounts(input.resumed?.counts, moved.counts);
  const now = services.clock.now();
  if (outcome === 'created') {
    const account = (await findAccount(tx, accountId))!;
    await queueMigrationWelcomeMail(tx, services, {
      orgId: input.orgId,
      siteId: site.id,
      siteName: site.name,
      accountId,
      email: account.email,
      name: account.name,
    });
  }
  const result: MigrateCustomerResult = {
    customerId: customer.id,
    accountId,
    outcome,
    oldUserKey: oldSiteUser.userKey,
    newUserKey: newSiteUser.userKey,
    counts,
  };
  // The same closing statement as a batch's, for one customer (its welcome mail is already queued), finishing
  // the task item too when there is a task.
  await finalizeMigrations(tx, {
    orgId: input.orgId,
    siteId: site.id,
    customerGroupId,
    taskId: input.taskId ?? null,
    migratedBy: actorRef(actor),
    at: now,
    migrated: [
      {
        customerId: customer.id,
        accountId,
        oldSiteUserId: oldSiteUser.id,
        newSiteUserId: newSiteUser.id,
        email: customer.email!,
        oldUserKey: result.oldUserKey,
        newUserKey: result.newUserKey,
        outcome,
        counts,
      },
    ],
    welcomes: [],
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
  return result;
}

/** The target a chunked migration chose when it started (the account's site user the old one points to). */
async function chunkedTarget(
  tx: Executor,
  newSiteUserId: string,
  outcome: 'linked' | 'created',
): Promise<MigrationTarget> {
  const newSiteUser = await findSiteUserById(tx, newSiteUserId);
  if (!newSiteUser?.accountId) {
    throw new AppError('customers.invalid_state', 'The account this customer is being moved to is missing.');
  }
  return { accountId: newSiteUser.accountId, outcome, newSiteUser };
}

/** Zero counts, and the sum of two. */
export const NO_COUNTS = NO_MIGRATION_COUNTS;

export function addCounts(a: MigrationCounts | null | undefined, b: MigrationCounts): MigrationCounts {
  const sum = { ...NO_COUNTS };
  for (const key of Object.keys(sum) as Array<keyof MigrationCounts>) sum[key] = (a?.[key] ?? 0) + b[key];
  return sum;
}

/**
 * Migrates one customer right now, in its own short transaction, after the permission check (for callers that
 * do not need a background task, such as tests and the seed).
 * @throws {AppError} the refusals of `migrateCustomer`, `auth.forbidden`, `directory.org_not_found`
 */
export async function migrateCustomerNow(
  ctx: UseCaseContext<SiteTenant>,
  customer: Omit<MigrateCustomerInput, 'taskId' | keyof SiteTenant>,
): Promise<MigrateCustomerResult> {
  const { services, actor } = ctx;
  const input = { ...customer, ...ctx.tenant };
  await assertCan(services.db, actor, 'customers.migrate', ctx.tenant);
  return services.db.transaction((tx) => migrateCustomer(tx, services, actor, input));
}
