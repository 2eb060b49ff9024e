import type { Executor } from '#src/db/client.ts';
import { findSite, listSites } from '#src/db/queries/directory/sites.queries.ts';
import {
  type CustomerMigrationRow,
  findCustomerMigration,
  findCustomerMigrationsByEmail,
  listDuplicateCandidates,
  listMigratableCustomers,
} from '#src/db/queries/migration/migration-tasks.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { Actor } from '../policies/actor.ts';
import { assertCan } from '../policies/can.ts';

async function assertSite(db: Executor, actor: Actor, orgId: string, siteId: string) {
  await assertCan(db, actor, 'customers.migrate', { orgId, siteId });
  const site = await findSite(db, orgId, siteId);
  if (!site) throw new AppError('directory.site_not_found', `No site ${siteId} in this organization.`);
  return site;
}

/**
 * The `old customer → account` mapping rows of a site, by old customer id or by email (an email may have been
 * migrated more than once over time, by different customers).
 * @throws {AppError} `auth.forbidden`, `directory.site_not_found`, `request.invalid_input` (neither given)
 */
export async function lookupCustomerMigrations(
  db: Executor,
  actor: Actor,
  input: { orgId: string; siteId: string; customerId?: string; email?: string },
): Promise<CustomerMigrationRow[]> {
  const site = await assertSite(db, actor, input.orgId, input.siteId);
  if (input.customerId) {
    const row = await findCustomerMigration(db, site.id, input.customerId);
    return row ? [row] : [];
  }
  if (input.email) return findCustomerMigrationsByEmail(db, site.id, input.email);
  throw new AppError('request.invalid_input', 'Give customerId or email.', {
    details: [{ path: 'customerId', message: 'customerId or email is required' }],
  });
}

/**
 * A page of live portal-only customers of the site whose email also has an account (duplicates to migrate).
 * @throws {AppError} `auth.forbidden`, `directory.site_not_found`
 */
export async function listDuplicateCandidatesOfSite(
  db: Executor,
  actor: Actor,
  input: { orgId: string; siteId: string; afterCustomerId?: string; limit: number },
) {
  const site = await assertSite(db, actor, input.orgId, input.siteId);
  return listDuplicateCandidates(db, site.id, input.afterCustomerId, input.limit);
}

/**
 * A page of the site's customers that a migration may take (active; revoked too when asked), ordered by id.
 * @throws {AppError} `auth.forbidden`, `directory.site_not_found`
 */
export async function listMigratableCustomersOfSite(
  db: Executor,
  actor: Actor,
  input: { orgId: string; siteId: string; afterCustomerId?: string; limit: number; includeRevoked: boolean },
) {
  const site = await assertSite(db, actor, input.orgId, input.siteId);
  return listMigratableCustomers(db, site.id, input.afterCustomerId, input.limit, input.includeRevoked);
}

/**
 * The org's sites (for clients that address a site by name, such as the CLI).
 * @throws {AppError} `auth.forbidden`, `directory.org_not_found`
 */
export async function listSitesOfOrg(db: Executor, actor: Actor, orgId: string) {
  await assertCan(db, actor, 'org.view', { orgId });
  return listSites(db, orgId);
}
