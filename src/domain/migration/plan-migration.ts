import { findAccountsByEmails } from '#src/db/queries/directory/accounts.queries.ts';
import { findBillableAccounts, findJsmLicence } from '#src/db/queries/directory/products.queries.ts';
import { findSiteUsersOfCustomers } from '#src/db/queries/directory/site-users.queries.ts';
import { countSiteUserReferences } from '#src/db/queries/migration/repoint.queries.ts';
import { type MigrationCounts, NO_MIGRATION_COUNTS } from '#src/db/schema/index.ts';
import type { ErrorCode } from '#src/shared/errors.ts';
import { assertCan } from '../policies/can.ts';
import type { SiteTenant, UseCaseContext } from '../use-case.ts';
import { resolveCustomers } from './resolve-customers.ts';
import type { StartMigrationInput } from './start-migration.ts';

export interface PlannedCustomer {
  customerId: string;
  email: string | null;
  displayName: string;
  status: string;
  /** `link` to an existing account, `create` a new one, or `refuse` (see `conflict`). */
  action: 'link' | 'create' | 'refuse';
  accountId: string | null;
  conflict: { code: ErrorCode; message: string } | null;
  counts: MigrationCounts;
}

export interface MigrationPlan {
  siteId: string;
  customers: PlannedCustomer[];
  summary: {
    total: number;
    link: number;
    create: number;
    refuse: number;
    conflicts: Record<string, number>;
    counts: MigrationCounts;
  };
  licence: {
    /** Seats the migration itself uses: always 0 (the Customer role is free). */
    seatsUsedByMigration: 0;
    /** Seats granting the JSM agent role to every migrated account would take (accounts not yet billable). */
    seatsNeededForAgentAccess: number;
    seatLimit: number | null;
    seatsUsed: number | null;
    seatsLeft: number | null;
  };
}

const ZERO: MigrationCounts = NO_MIGRATION_COUNTS;

/**
 * A dry run: what starting this migration would do, per customer and in total, without writing anything.
 * @throws {AppError} as `startMigration` (permission, selection)
 */
export async function planMigration(
  ctx: UseCaseContext<SiteTenant>,
  selection: Omit<StartMigrationInput, keyof SiteTenant>,
): Promise<MigrationPlan> {
  const { actor } = ctx;
  const { db } = ctx.services;
  const input: StartMigrationInput = { ...selection, ...ctx.tenant };
  await assertCan(db, actor, 'customers.migrate', { orgId: input.orgId, siteId: input.siteId });
  const { site, customers } = await resolveCustomers(db, input);
  const confirmed = new Set(input.confirmUnverifiedLinks ?? []);
  const siteUsers = await findSiteUsersOfCustomers(
    db,
    customers.map((c) => c.id),
  );
  const siteUserOf = new Map(siteUsers.map((u) => [u.customerId!, u.id]));
  const counts = await countSiteUserReferences(
    db,
    siteUsers.map((u) => u.id),
  );
  const accounts = await findAccountsByEmails(
    db,
    customers.flatMap((c) => (c.email ? [c.email] : [])),
  );
  const accountOf = new Map(accounts.map((a) => [a.email.toLowerCase(), a]));

  const planned: PlannedCustomer[] = customers.map((customer) => {
    const twin = customer.email ? accountOf.get(customer.email.toLowerCase()) : undefined;
    const refuse = (code: ErrorCode, message: string): PlannedCustomer['conflict'] => ({ code, message });
    let conflict: PlannedCustomer['conflict'] = null;
    if (customer.status === 'migrated') conflict = refuse('migration.already_migrated', 'Already migrated.');
    else if (customer.status === 'deleted') conflict = refuse('migration.customer_deleted', 'Deleted.');
    else if (customer.status === 'revoked' && !input.includeRevoked)
      conflict = refuse('migration.customer_revoked', 'Access revoked; pass includeRevoked to migrate.');
    else if (twin && !twin.emailVerifiedAt && !confirmed.has(customer.id))
      conflict = refuse(
        'migration.unverified_twin',
        'An account with this email exists but is unverified; confirm the link explicitly.',
      );
    const siteUserId = siteUserOf.get(customer.id);
    return {
      customerId: customer.id,
      email: customer.email,
      displayName: customer.displayName,
      status: customer.status,
      action: conflict ? 'refuse' : twin ? 'link' : 'create',
      accountId: customer.status === 'migrated' ? customer.migratedToAccountId : (twin?.id ?? null),
      conflict,
      counts: (siteUserId && counts.get(siteUserId)) || { ...ZERO },
    };
  });

  const total = { ...ZERO };
  const conflicts: Record<string, number> = {};
  for (const p of planned) {
    if (p.conflict) {
      conflicts[p.conflict.code] = (conflicts[p.conflict.code] ?? 0) + 1;
      continue;
    }
    for (const key of Object.keys(total) as Array<keyof MigrationCounts>) total[key] += p.counts[key];
  }

  const licence = await findJsmLicence(db, site.id);
  const moving = planned.filter((p) => p.action !== 'refuse');
  const billable = licence
    ? await findBillableAccounts(
        db,
        licence.productId,
        moving.flatMap((p) => (p.accountId ? [p.accountId] : [])),
      )
    : new Set<string>();
  const seatsNeeded = moving.filter((p) => !p.accountId || !billable.has(p.accountId)).length;
  return {
    siteId: site.id,
    customers: planned,
    summary: {
      total: planned.length,
      link: planned.filter((p) => p.action === 'link').length,
      create: planned.filter((p) => p.action === 'create').length,
      refuse: planned.filter((p) => p.action === 'refuse').length,
      conflicts,
      counts: total,
    },
    licence: {
      seatsUsedByMigration: 0,
      seatsNeededForAgentAccess: seatsNeeded,
      seatLimit: licence?.seatLimit ?? null,
      seatsUsed: licence?.seatsUsed ?? null,
      seatsLeft: licence ? Math.max(0, licence.seatLimit - licence.seatsUsed) : null,
    },
  };
}
