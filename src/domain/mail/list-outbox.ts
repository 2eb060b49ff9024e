import { listOrgMail } from '#src/db/queries/mail/mail-outbox-list.queries.ts';
import type { Actor } from '../policies/actor.ts';
import { assertCan } from '../policies/can.ts';
import type { AppServices } from '../services.ts';

/**
 * The organization's mail outbox (what was sent, or kept in outbox mode), newest first, for org admins: the
 * admin console shows it so links in verification and set-password mail can be followed without SMTP.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`
 */
export async function listOutbox(
  services: Pick<AppServices, 'db'>,
  actor: Actor,
  input: { orgId: string; to?: string; limit: number },
) {
  const org = await assertCan(services.db, actor, 'org.audit.view', { orgId: input.orgId });
  return listOrgMail(services.db, org.id, { to: input.to, limit: input.limit });
}
