import {
  type AuditEventFilter,
  type AuditEventRow,
  listAuditEvents,
} from '#src/db/queries/audit/audit-events.queries.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

/**
 * A page of an organization's audit log, newest first, for its org admins and its API key.
 * Fetches `limit + 1` rows so the caller can tell whether there is a next page.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`
 */
export async function listOrgEvents(
  ctx: UseCaseContext<OrgTenant>,
  input: { filter: AuditEventFilter; beforeSeq?: number; limit: number },
): Promise<AuditEventRow[]> {
  const org = await assertCan(ctx.services.db, ctx.actor, 'org.audit.view', ctx.tenant);
  return listAuditEvents(ctx.services.db, org.id, input.filter, {
    beforeSeq: input.beforeSeq,
    limit: input.limit + 1,
  });
}
