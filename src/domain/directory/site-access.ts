import { findOrgMembership } from '#src/db/queries/directory/org-memberships.queries.ts';
import { upsertSiteAccess } from '#src/db/queries/directory/site-access.queries.ts';
import { findSite } from '#src/db/queries/directory/sites.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { recordEvent } from '../audit/record-event.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

/**
 * The original experience's per-site "Has access on site" toggle (F33): org admins and that site's admins.
 * @throws {AppError} `directory.wrong_experience`, `directory.site_not_found`, `directory.user_not_found`
 */
export async function setSiteAccess(
  ctx: UseCaseContext<OrgTenant>,
  input: { siteId: string; accountId: string; hasAccess: boolean; ip?: string | null },
): Promise<{ siteId: string; accountId: string; hasAccess: boolean }> {
  const { services, actor } = ctx;
  const org = await assertCan(services.db, actor, 'users.site_access', {
    orgId: ctx.tenant.orgId,
    siteId: input.siteId,
  });
  if (org.userManagement !== 'original') {
    throw new AppError(
      'directory.wrong_experience',
      'The "Has access on site" toggle exists in the original user-management experience only; in the centralized experience suspend or restore access.',
    );
  }
  const site = await findSite(services.db, org.id, input.siteId);
  if (!site) throw new AppError('directory.site_not_found', `No site ${input.siteId} in this organization.`);
  return services.db.transaction(async (tx) => {
    if (!(await findOrgMembership(tx, org.id, input.accountId)))
      throw new AppError('directory.user_not_found', `No user ${input.accountId} in this organization.`);
    await upsertSiteAccess(
      tx,
      { orgId: org.id, siteId: site.id, accountId: input.accountId, hasAccess: input.hasAccess },
      services.clock.now(),
    );
    await recordEvent(tx, services.clock, {
      orgId: org.id,
      action: input.hasAccess ? 'user.site_access_granted' : 'user.site_access_revoked',
      actor,
      ip: input.ip,
      target: { type: 'account', id: input.accountId },
      siteId: site.id,
    });
    return { siteId: site.id, accountId: input.accountId, hasAccess: input.hasAccess };
  });
}
