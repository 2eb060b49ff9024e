import type { Context } from 'hono';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { getProfile } from '#src/domain/accounts/profile.ts';
import { customerDisplayName } from '#src/domain/customers/customer-display.ts';
import { getSignedInCustomer } from '#src/domain/customers/get-portal-customer.ts';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import type { AppEnv } from '#src/web/http.ts';
import { assertPathValue } from '#src/web/path-guards.ts';
import { csrfTokenOf } from '#src/web/session.ts';
import { useCaseContext } from '#src/web/use-case.ts';

export type PortalContext = Context<AppEnv>;

export interface PortalUser {
  name: string;
  email: string | null;
  kind: 'customer' | 'account';
}

/** The site named in the path (404 for an unknown one). */
export function siteOf(c: PortalContext): Promise<SiteRow> {
  return getSiteByName(
    c.get('services').db,
    assertPathValue(c.req.param('site')!, 'directory.site_not_found'),
  );
}

/** Who is signed in to this site's portal, or undefined (anonymous, or a customer session of another site). */
export async function portalUserOf(c: PortalContext, site: SiteRow): Promise<PortalUser | undefined> {
  const actor = c.get('actor');
  if (actor.type === 'customer' && actor.siteId === site.id) {
    const customer = await getSignedInCustomer(useCaseContext(c, { siteId: site.id }));
    if (customer?.status !== 'active') return undefined;
    return { name: customerDisplayName(customer), email: customer.email, kind: 'customer' };
  }
  if (actor.type === 'account') {
    const account = await getProfile(useCaseContext(c));
    return { name: account.name, email: account.email, kind: 'account' };
  }
  return undefined;
}

export function csrfOf(c: PortalContext): string {
  return csrfTokenOf(c) ?? '';
}
