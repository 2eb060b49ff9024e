import type { Executor } from '#src/db/client.ts';
import {
  type CustomerListFilter,
  countSiteCustomers,
  findPortalCustomer,
  listSiteCustomers,
  type PortalCustomerRow,
} from '#src/db/queries/customers/portal-customers.queries.ts';
import {
  findAccount,
  findAccountByEmail,
  listAccountEmailsAmong,
} from '#src/db/queries/directory/accounts.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { SiteTenant, UseCaseContext } from '../use-case.ts';
import { authorizeCustomerAdmin } from './customer-access.ts';

/** The account that shares a live customer's email: the duplicate note prompting migration (F34, §3.1). */
export interface AccountTwin {
  accountId: string;
  email: string;
  verified: boolean;
}

export interface CustomerWithTwin {
  customer: PortalCustomerRow;
  accountTwin: AccountTwin | null;
  /** A migrated customer's account, as a person reads it (null before the migration). */
  migratedTo: { id: string; name: string; email: string } | null;
}

/** The twin of a customer, for live (active or revoked) customers only. */
export async function findTwinOfCustomer(
  db: Executor,
  customer: PortalCustomerRow,
): Promise<AccountTwin | null> {
  if (!customer.email || (customer.status !== 'active' && customer.status !== 'revoked')) return null;
  const twin = await findAccountByEmail(db, customer.email);
  return twin ? { accountId: twin.id, email: twin.email, verified: twin.emailVerifiedAt !== null } : null;
}

/**
 * One customer of a site, for the admin console/API.
 * @throws {AppError} `customers.not_found` (also for another site's or tenant's customer), plus access errors
 */
export async function getPortalCustomerForAdmin(
  ctx: UseCaseContext<SiteTenant>,
  target: { customerId: string },
): Promise<CustomerWithTwin> {
  const { db } = ctx.services;
  const { site } = await authorizeCustomerAdmin(ctx, 'customers.view');
  const customer = await findPortalCustomer(db, site.id, target.customerId);
  if (!customer) throw new AppError('customers.not_found', `No customer ${target.customerId} on this site.`);
  const account = customer.migratedToAccountId
    ? await findAccount(db, customer.migratedToAccountId)
    : undefined;
  return {
    customer,
    accountTwin: await findTwinOfCustomer(db, customer),
    migratedTo: account ? { id: account.id, name: account.name, email: account.email } : null,
  };
}

/** Without a status filter a list shows every customer but the deleted ones. */
const listedStatuses = (filter: Pick<CustomerListFilter, 'statuses'>) =>
  filter.statuses?.length
    ? filter.statuses
    : (['active', 'revoked', 'migrating', 'migrated'] as const).slice();

/** A page of a site's customers (search matches email and name; deleted customers only by status filter). */
export async function listPortalCustomers(
  ctx: UseCaseContext<SiteTenant>,
  filter: CustomerListFilter,
): Promise<PortalCustomerRow[]> {
  const { db } = ctx.services;
  const { site } = await authorizeCustomerAdmin(ctx, 'customers.view');
  return listSiteCustomers(db, site.id, { ...filter, statuses: listedStatuses(filter) });
}

/** How many customers of a site `listPortalCustomers` would page through with this filter. */
export async function countPortalCustomers(
  ctx: UseCaseContext<SiteTenant>,
  filter: Pick<CustomerListFilter, 'query' | 'statuses'>,
): Promise<number> {
  const { site } = await authorizeCustomerAdmin(ctx, 'customers.view');
  return countSiteCustomers(ctx.services.db, site.id, { ...filter, statuses: listedStatuses(filter) });
}

/**
 * Which of these customers (of a page the caller already listed) are live and share their email with an account:
 * the duplicates the article says to migrate (F34, §3.1). One statement for the whole page.
 * @throws {AppError} access errors of `customers.view`
 */
export async function duplicateCustomerIds(
  ctx: UseCaseContext<SiteTenant>,
  customers: readonly PortalCustomerRow[],
): Promise<Set<string>> {
  const { site } = await authorizeCustomerAdmin(ctx, 'customers.view');
  const live = customers.filter(
    (c) => c.siteId === site.id && c.email && (c.status === 'active' || c.status === 'revoked'),
  );
  const held = new Set(
    await listAccountEmailsAmong(ctx.services.db, [...new Set(live.map((c) => c.email!))]),
  );
  return new Set(live.filter((c) => held.has(c.email!.toLowerCase())).map((c) => c.id));
}

/**
 * The customer signed in to this site's portal (the actor itself), or undefined when the caller is not a
 * customer of this site or the customer row is gone.
 */
export async function getSignedInCustomer(
  ctx: UseCaseContext<{ siteId: string }>,
): Promise<PortalCustomerRow | undefined> {
  const { actor, tenant } = ctx;
  if (actor.type !== 'customer' || actor.siteId !== tenant.siteId) return undefined;
  return findPortalCustomer(ctx.services.db, tenant.siteId, actor.customerId);
}
