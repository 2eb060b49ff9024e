import type { Executor } from '#src/db/client.ts';
import {
  findSiteUserOfAccount,
  insertSiteUser,
  type SiteUserRow,
} from '#src/db/queries/directory/site-users.queries.ts';
import { newId, newUserKey } from '#src/shared/ids.ts';

/** The account's site user on a site, created (with a new user key) on first use. */
export async function ensureAccountSiteUser(
  tx: Executor,
  input: { orgId: string; siteId: string; accountId: string },
): Promise<SiteUserRow> {
  const existing = await findSiteUserOfAccount(tx, input.siteId, input.accountId);
  if (existing) return existing;
  return insertSiteUser(tx, {
    id: newId(),
    orgId: input.orgId,
    siteId: input.siteId,
    userKey: newUserKey(),
    kind: 'account',
    accountId: input.accountId,
  });
}
