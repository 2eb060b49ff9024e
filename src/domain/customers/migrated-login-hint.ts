import { findMigratedCustomerByEmail } from '#src/db/queries/customers/portal-customers.queries.ts';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { AppServices } from '../services.ts';

/**
 * After a failed portal login: whether the email and password are those of this site's customer that was migrated
 * to an account, i.e. the person typed their old portal password. Only someone who knows that password learns the
 * profile moved, and the check always spends one password verify, so the answer to a stranger (no such customer)
 * takes the same time and says nothing.
 */
export async function typedOldPortalPassword(
  services: AppServices,
  site: Pick<SiteRow, 'id'>,
  input: { email: string; password: string },
): Promise<boolean> {
  const migrated = await findMigratedCustomerByEmail(services.db, site.id, input.email);
  if (!migrated?.passwordHash) {
    await services.passwords.verifyDummy(input.password);
    return false;
  }
  return services.passwords.verify(migrated.passwordHash, input.password);
}
