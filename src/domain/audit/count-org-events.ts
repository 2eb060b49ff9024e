import { type AuditEventFilter, countAuditEvents } from '#src/db/queries/audit/audit-events.queries.ts';
import { assertCan } from '../policies/can.ts';
import type { UseCaseContext } from '../use-case.ts';

/**
 * How many of the organization's audit events match a filter: the total the audit log shows over its pages.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`
 */
export async function countOrgEvents(
  ctx: UseCaseContext<{ orgId: string }>,
  filter: AuditEventFilter,
): Promise<number> {
  const org = await assertCan(ctx.services.db, ctx.actor, 'org.audit.view', { orgId: ctx.tenant.orgId });
  return countAuditEvents(ctx.services.db, org.id, filter);
}
