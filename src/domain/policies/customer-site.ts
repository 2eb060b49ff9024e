import { AppError } from '#src/shared/errors.ts';
import type { Actor } from './actor.ts';

/**
 * A portal-only customer acts only on its own site: anything on another site answers 404, exactly like a
 * site that does not exist, so other sites cannot be probed. Other actors pass (their policies decide).
 * @throws {AppError} `directory.site_not_found`
 */
export function assertCustomerOnSite(actor: Actor, siteId: string): void {
  if (actor.type === 'customer' && actor.siteId !== siteId) {
    throw new AppError('directory.site_not_found', 'No such site.');
  }
}
