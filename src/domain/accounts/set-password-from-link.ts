import { findSite } from '#src/db/queries/directory/sites.queries.ts';
import type { AppServices } from '../services.ts';
import { setPasswordWithMailedToken } from './password-reset.ts';

/**
 * Sets the first password of an account created by a migration, through the single-use `set_password` link of
 * its welcome mail (`/account/set-password?token=…`, 7 days). Following the link proves the mailbox, so the
 * email is marked verified in the same transaction. A used or expired link changes nothing.
 * @throws {AppError} `auth.weak_password`, `auth.token_invalid`, `auth.token_used`, `auth.token_expired`
 */
export async function setPasswordFromLink(
  services: AppServices,
  input: { token: string; password: string; ip?: string | null },
): Promise<{
  accountId: string;
  email: string;
  orgId: string | null;
  siteId: string | null;
  /** The site whose portal sent the link (migrations), so the page can send the person to its login. */
  siteName: string | null;
}> {
  const { account, token } = await setPasswordWithMailedToken(services, 'set_password', input, () => ({
    via: 'set_password_link',
  }));
  const site =
    token.orgId && token.siteId ? await findSite(services.db, token.orgId, token.siteId) : undefined;
  return {
    accountId: account.id,
    email: account.email,
    orgId: token.orgId,
    siteId: token.siteId,
    siteName: site?.name ?? null,
  };
}
