import { type AuditEventRow, findAuditEvent } from '#src/db/queries/audit/audit-events.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { Actor } from '../policies/actor.ts';
import { assertCan } from '../policies/can.ts';
import type { AppServices } from '../services.ts';

/**
 * One event of an organization's audit log (the `links.self` of a listed event), for its org admins and its API key.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`, `audit.event_not_found`
 */
export async function getOrgEvent(
  services: Pick<AppServices, 'db'>,
  actor: Actor,
  input: { orgId: string; eventId: number },
): Promise<AuditEventRow> {
  const org = await assertCan(services.db, actor, 'org.audit.view', { orgId: input.orgId });
  const row = await findAuditEvent(services.db, org.id, input.eventId);
  if (!row) throw new AppError('audit.event_not_found', `No event ${input.eventId} in this organization.`);
  return row;
}
