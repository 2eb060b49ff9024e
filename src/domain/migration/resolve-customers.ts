import type { Executor } from '#src/db/client.ts';
import {
  findCustomersByEmails,
  findCustomersByIds,
} from '#src/db/queries/customers/portal-customers.queries.ts';
import { findSite, type SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { portalCustomers } from '#src/db/schema/index.ts';
import { AppError } from '#src/shared/errors.ts';

/** Most customers one start (or preview) may name; the CLI sends more in batches (reference F24). */
export const MAX_CUSTOMERS_PER_CALL = 1000;

export interface CustomerSelection {
  orgId: string;
  siteId: string;
  customerIds?: string[];
  emails?: string[];
}

type CustomerRow = typeof portalCustomers.$inferSelect;

/**
 * Resolves a selection (ids and/or emails) to the site's customers, in the order given, without duplicates.
 * @throws {AppError} `directory.site_not_found`, `request.invalid_input` (empty), `migration.too_many` (> 1,000),
 *   `migration.mixed_sites` (an id of another site), `migration.not_found` (unknown ids or emails)
 */
export async function resolveCustomers(
  db: Executor,
  selection: CustomerSelection,
): Promise<{ site: SiteRow; customers: CustomerRow[] }> {
  const ids = [...new Set(selection.customerIds ?? [])];
  const emails = [...new Set((selection.emails ?? []).map((e) => e.trim().toLowerCase()))];
  if (ids.length + emails.length === 0) {
    throw new AppError('request.invalid_input', 'Name at least one customer (customerIds or emails).', {
      details: [{ path: 'customerIds', message: 'empty' }],
    });
  }
  if (ids.length + emails.length > MAX_CUSTOMERS_PER_CALL) {
    throw new AppError(
      'migration.too_many',
      `At most ${MAX_CUSTOMERS_PER_CALL} customers per call (got ${ids.length + emails.length}); send the rest in another call.`,
      { data: { limit: MAX_CUSTOMERS_PER_CALL, got: ids.length + emails.length } },
    );
  }
  const site = await findSite(db, selection.orgId, selection.siteId);
  if (!site)
    throw new AppError('directory.site_not_found', `No site ${selection.siteId} in this organization.`);

  const byId = new Map((await findCustomersByIds(db, selection.orgId, ids)).map((c) => [c.id, c]));
  const otherSites = ids.filter((id) => byId.has(id) && byId.get(id)!.siteId !== site.id);
  if (otherSites.length > 0) {
    throw new AppError(
      'migration.mixed_sites',
      `All customers of one call must be on site ${site.name}; ${otherSites.length} are on another site.`,
      { data: { customerIds: otherSites.slice(0, 20) } },
    );
  }
  const byEmail = new Map<string, CustomerRow>();
  for (const customer of await findCustomersByEmails(db, site.id, emails)) {
    const key = (customer.email ?? '').toLowerCase();
    if (!byEmail.has(key)) byEmail.set(key, customer);
  }
  const missing = [...ids.filter((id) => !byId.has(id)), ...emails.filter((e) => !byEmail.has(e))];
  if (missing.length > 0) {
    throw new AppError(
      'migration.not_found',
      `${missing.length} of the named customers do not exist on site ${site.name}.`,
      { data: { missing: missing.slice(0, 20) } },
    );
  }
  const seen = new Set<string>();
  const customers: CustomerRow[] = [];
  for (const customer of [...ids.map((id) => byId.get(id)!), ...emails.map((e) => byEmail.get(e)!)]) {
    if (seen.has(customer.id)) continue;
    seen.add(customer.id);
    customers.push(customer);
  }
  return { site, customers };
}
