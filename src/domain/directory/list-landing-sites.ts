import { listAllSiteNames } from '#src/db/queries/directory/sites.queries.ts';
import { isLocalMode } from '../mail/local-mode.ts';
import type { AppServices } from '../services.ts';

/**
 * The sites the landing page links (portal and agent queue): all of them in local mode, none otherwise, where
 * listing every tenant's site to anonymous visitors would tell strangers who the customers are.
 */
export async function listLandingSites(services: Pick<AppServices, 'db' | 'config'>): Promise<string[]> {
  return isLocalMode(services.config) ? listAllSiteNames(services.db) : [];
}
