import type { Executor } from '#src/db/client.ts';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import type { Person } from './people.ts';

/**
 * Audits a change of who belongs to something of the site (a desk's customers, an organization's members, a
 * request type's approvers): the people by account id, in the caller's transaction.
 */
export async function recordPeopleChange(
  tx: Executor,
  ctx: UseCaseContext<DeskTenant>,
  site: SiteRow,
  change: { action: string; target: { type: string; id: string }; people: Person[] },
): Promise<void> {
  await recordEvent(tx, ctx.services.clock, {
    orgId: site.orgId,
    action: change.action,
    actor: ctx.actor,
    target: change.target,
    siteId: site.id,
    data: { accountIds: change.people.map((p) => p.accountId) },
  });
}
