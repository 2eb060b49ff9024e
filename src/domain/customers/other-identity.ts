import { findLiveCustomerByEmail } from '#src/db/queries/customers/portal-customers.queries.ts';
import { findAccountByEmail } from '#src/db/queries/directory/accounts.queries.ts';
import type { UseCaseContext } from '../use-case.ts';

/**
 * The duplicate case seen from the person's side: the other identity they hold on this site under the same email.
 * A portal-only customer whose email also has an account gets `account`; an account holder who still has a live
 * portal-only profile on this site gets `portal-only`. Until an admin migrates the profile, its requests and
 * the account's are not seen together.
 */
export async function findOtherIdentity(
  ctx: UseCaseContext<{ siteId: string }>,
  email: string | null,
): Promise<'account' | 'portal-only' | undefined> {
  const { actor } = ctx;
  const { db } = ctx.services;
  if (!email) return undefined;
  if (actor.type === 'customer') return (await findAccountByEmail(db, email)) ? 'account' : undefined;
  if (actor.type === 'account') {
    const customer = await findLiveCustomerByEmail(db, ctx.tenant.siteId, email);
    return customer && customer.status !== 'migrating' ? 'portal-only' : undefined;
  }
  return undefined;
}
