import type { Executor } from '#src/db/client.ts';
import { findAccountTwin } from '#src/db/queries/customers/portal-customer-admin.queries.ts';
import { findLiveCustomerByEmail } from '#src/db/queries/customers/portal-customers.queries.ts';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { Actor } from '../policies/actor.ts';

/**
 * The duplicate case seen from the person's side: the other identity they hold on this site under the same email.
 * A portal-only customer whose email also has an account gets `account`; an account holder who still has a live
 * portal-only profile on this site gets `portal-only`. Until an admin migrates the profile, its requests and
 * the account's are not seen together.
 */
export async function findOtherIdentity(
  db: Executor,
  site: Pick<SiteRow, 'id'>,
  actor: Actor,
  email: string | null,
): Promise<'account' | 'portal-only' | undefined> {
  if (!email) return undefined;
  if (actor.type === 'customer') return (await findAccountTwin(db, email)) ? 'account' : undefined;
  if (actor.type === 'account') {
    const customer = await findLiveCustomerByEmail(db, site.id, email);
    return customer && customer.status !== 'migrating' ? 'portal-only' : undefined;
  }
  return undefined;
}
