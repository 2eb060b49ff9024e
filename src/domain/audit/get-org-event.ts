import { type AuditEventRow, findAuditEvent } from '#src/db/queries/audit/audit-events.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

/**
 * One event of an organization's audit log (the `links.self` of a listed event), for its org admins and its API key.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`, `audit.event_not_found`
 */
export async function getOrgEvent(
  ctx: UseCaseContext<OrgTenant>,
  input: { eventId: number },
): Promise<AuditEventRow> {
  const { services, actor } = ctx;
  const org = await assertCan(services.db, actor, 'org.audit.view', { orgId: ctx.tenant.orgId });
  const row = await findAuditEvent(services.db, org.id, input.eventId);
  if (!row) throw new AppError('audit.event_not_found', `No event ${input.eventId} in this organization.`);
  return row;
}
