import { insertAdminRole } from '#src/db/queries/directory/admin-roles.queries.ts';
import { insertOrgMembership } from '#src/db/queries/directory/org-memberships.queries.ts';
import { createSession } from '#src/domain/accounts/sessions.ts';
import type { AppServices } from '#src/domain/services.ts';
import { newId } from '#src/shared/ids.ts';
import { buildBasicAuth, buildTenant } from './directory.ts';

/** The content type of a browser form post. */
export const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };

/** Cookie + CSRF headers of a fresh browser session (account or portal-only customer), as a login would set. */
export async function buildBrowserSession(
  services: AppServices,
  who: { accountId: string } | { customerId: string; siteId: string },
): Promise<{ read: Record<string, string>; write: Record<string, string>; csrfToken: string }> {
  const session = await services.db.transaction((tx) =>
    createSession(
      tx,
      services,
      'accountId' in who
        ? { kind: 'account', accountId: who.accountId }
        : { kind: 'customer', customerId: who.customerId, siteId: who.siteId },
    ),
  );
  const cookie = `gh_session=${session.secret}`;
  return {
    csrfToken: session.csrfToken,
    read: { cookie },
    write: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  };
}

/** A urlencoded form body (repeated keys for arrays). */
export function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) params.append(key, v);
  return params.toString();
}

/** Makes an existing account a member and org admin of another org (for the org switcher). */
export async function grantOrgAdmin(services: AppServices, orgId: string, accountId: string): Promise<void> {
  await services.db.transaction(async (tx) => {
    await insertOrgMembership(tx, orgId, accountId);
    await insertAdminRole(tx, { id: newId(), orgId, accountId, role: 'org_admin' });
  });
}

/** A tenant (org, site, org admin) plus the admin's Basic auth headers: the start of most admin page tests. */
export async function buildTenantWithAdminAuth(
  services: AppServices,
  userManagement: 'original' | 'centralized' = 'centralized',
) {
  const tenant = await buildTenant(services, userManagement);
  return { ...tenant, auth: await buildBasicAuth(services, tenant.admin) };
}
