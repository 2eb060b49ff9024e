import type { Executor } from '#src/db/client.ts';
import { findSiteByName, type SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { AppError } from '#src/shared/errors.ts';

/**
 * The site named in a `/sites/{site}/…` path. Site names are global (like hostnames); which tenant may act on it
 * is decided by the policies, and a site the caller has no standing on answers 404 there.
 * @throws {AppError} `directory.site_not_found`
 */
export async function getSiteByName(db: Executor, name: string): Promise<SiteRow> {
  const site = await findSiteByName(db, name);
  if (!site) throw new AppError('directory.site_not_found', `No site named ${name}.`);
  return site;
}
