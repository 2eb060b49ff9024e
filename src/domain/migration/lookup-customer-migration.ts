import {
  listDuplicateCandidates,
  listMigratableCustomers,
} from '#src/db/queries/customers/portal-customers.queries.ts';
import { findSite, listSites } from '#src/db/queries/directory/sites.queries.ts';
import {
  type CustomerMigrationRow,
  findCustomerMigration,
  findCustomerMigrationsByEmail,
} from '#src/db/queries/migration/customer-migrations.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, SiteTenant, UseCaseContext } from '../use-case.ts';

async function assertSite(ctx: UseCaseContext<SiteTenant>) {
  const { orgId, siteId } = ctx.tenant;
  await assertCan(ctx.services.db, ctx.actor, 'customers.migrate', { orgId, siteId });
  const site = await findSite(ctx.services.db, orgId, siteId);
  if (!site) throw new AppError('directory.site_not_found', `No site ${siteId} in this organization.`);
  return site;
}

/**
 * The `old customer → account` mapping rows of a site, by old customer id or by email (an email may have been
 * migrated more than once over time, by different customers).
 * @throws {AppError} `auth.forbidden`, `directory.site_not_found`, `request.invalid_input` (neither given)
 */
export async function lookupCustomerMigrations(
  ctx: UseCaseContext<SiteTenant>,
  input: { customerId?: string; email?: string },
): Promise<CustomerMigrationRow[]> {
  const { db } = ctx.services;
  const site = await assertSite(ctx);
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
  ctx: UseCaseContext<SiteTenant>,
  input: { afterCustomerId?: string; limit: number },
) {
  const site = await assertSite(ctx);
  return listDuplicateCandidates(ctx.services.db, site.id, input.afterCustomerId, input.limit);
}

/**
 * A page of the site's customers that a migration may take (active; revoked too when asked), ordered by id.
 * @throws {AppError} `auth.forbidden`, `directory.site_not_found`
 */
export async function listMigratableCustomersOfSite(
  ctx: UseCaseContext<SiteTenant>,
  input: { afterCustomerId?: string; limit: number; includeRevoked: boolean },
) {
  const site = await assertSite(ctx);
  return listMigratableCustomers(
    ctx.services.db,
    site.id,
    input.afterCustomerId,
    input.limit,
    input.includeRevoked,
  );
}

/**
 * The org's sites (for clients that address a site by name, such as the CLI).
 * @throws {AppError} `auth.forbidden`, `directory.org_not_found`
 */
export async function listSitesOfOrg(ctx: UseCaseContext<OrgTenant>) {
  const org = await assertCan(ctx.services.db, ctx.actor, 'org.view', ctx.tenant);
  return listSites(ctx.services.db, org.id);
}
