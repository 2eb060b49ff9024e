import { listOrgMail } from '#src/db/queries/mail/mail-outbox.queries.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

/**
 * The organization's mail outbox (what was sent, or kept in outbox mode), newest first, for org admins: the
 * admin console shows it so links in verification and set-password mail can be followed without SMTP.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`
 */
export async function listOutbox(ctx: UseCaseContext<OrgTenant>, input: { to?: string; limit: number }) {
  const org = await assertCan(ctx.services.db, ctx.actor, 'org.audit.view', ctx.tenant);
  return listOrgMail(ctx.services.db, org.id, { to: input.to, limit: input.limit });
}
