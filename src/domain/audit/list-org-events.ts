import {
  type AuditEventFilter,
  type AuditEventRow,
  listAuditEvents,
} from '#src/db/queries/audit/audit-events.queries.ts';
import type { Actor } from '../policies/actor.ts';
import { assertCan } from '../policies/can.ts';
import type { AppServices } from '../services.ts';

/**
 * A page of an organization's audit log, newest first, for its org admins and its API key.
 * Fetches `limit + 1` rows so the caller can tell whether there is a next page.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`
 */
export async function listOrgEvents(
  services: Pick<AppServices, 'db'>,
  actor: Actor,
  input: { orgId: string; filter: AuditEventFilter; beforeSeq?: number; limit: number },
): Promise<AuditEventRow[]> {
  const org = await assertCan(services.db, actor, 'org.audit.view', { orgId: input.orgId });
  return listAuditEvents(services.db, org.id, input.filter, {
    beforeSeq: input.beforeSeq,
    limit: input.limit + 1,
  });
}
