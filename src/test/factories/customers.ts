import { count, eq } from 'drizzle-orm';
import { findDefaultGroup, insertGroupMember } from '#src/db/queries/directory/groups.queries.ts';
import { sessions } from '#src/db/schema/index.ts';
import { createSession } from '#src/domain/accounts/sessions.ts';
import type { AppServices } from '#src/domain/services.ts';
import { buildCustomer, buildTenant } from './directory.ts';

/** Starts a portal session for a customer (as a portal login would), so tests can see it end. */
export async function buildCustomerSession(
  services: AppServices,
  customer: { id: string; siteId: string },
): Promise<string> {
  const session = await services.db.transaction((tx) =>
    createSession(tx, services, { kind: 'customer', customerId: customer.id, siteId: customer.siteId }),
  );
  return session.sessionId;
}

export async function countCustomerSessions(services: AppServices, customerId: string): Promise<number> {
  const [row] = await services.db
    .select({ n: count() })
    .from(sessions)
    .where(eq(sessions.customerId, customerId));
  return Number(row?.n ?? 0);
}

/** Puts an account in a product's default group for `role` (JSM agent = `user`, JSM admin = `admin`). */
export async function giveProductRole(
  services: AppServices,
  input: { orgId: string; productId: string; accountId: string; role: 'customer' | 'user' | 'admin' },
): Promise<void> {
  const group = await findDefaultGroup(services.db, input.productId, input.role);
  await insertGroupMember(services.db, input.orgId, group!.id, input.accountId);
}

/** A tenant (see `buildTenant`) with one verified portal-only customer on its site, password `TEST_PASSWORD`. */
export async function buildTenantWithCustomer(services: AppServices) {
  const tenant = await buildTenant(services);
  const { customer } = await buildCustomer(services, { orgId: tenant.org.id, siteId: tenant.site.id });
  return { tenant, customer };
}
