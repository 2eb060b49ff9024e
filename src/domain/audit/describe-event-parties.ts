import type { AuditEventRow } from '#src/db/queries/audit/audit-events.queries.ts';
import { listOrgCustomersByIds } from '#src/db/queries/customers/portal-customers.queries.ts';
import { listOrgMembersByIds } from '#src/db/queries/directory/accounts.queries.ts';
import { listApiKeys } from '#src/db/queries/directory/api-keys.queries.ts';
import { listSites } from '#src/db/queries/directory/sites.queries.ts';
import type { CustomerStatus } from '#src/db/schema/index.ts';
import { assertCan } from '../policies/can.ts';
import type { UseCaseContext } from '../use-case.ts';

/** Who an id in an audit event is, as a person reads it (the id stays the fallback for anyone not found). */
export type EventParty =
  | { kind: 'account'; id: string; name: string; email: string }
  | {
      kind: 'customer';
      id: string;
      name: string;
      email: string | null;
      status: CustomerStatus;
      siteName: string;
    }
  | { kind: 'api_key'; id: string; name: string };

/** The parties of a page of events, by id. */
export type EventParties = Map<string, EventParty>;

/**
 * Names, emails and sites of the accounts, portal-only customers and API keys a page of the org's audit events
 * names (as actor, target or `data.accountId`), so the log shows people instead of raw ids. Only this org's rows
 * are looked up: an id of anything else stays an id.
 * @throws {AppError} `directory.org_not_found`, `auth.forbidden`
 */
export async function describeEventParties(
  ctx: UseCaseContext<{ orgId: string }>,
  events: readonly AuditEventRow[],
): Promise<EventParties> {
  const { db } = ctx.services;
  const org = await assertCan(db, ctx.actor, 'org.audit.view', { orgId: ctx.tenant.orgId });
  const ids = { account: new Set<string>(), customer: new Set<string>(), api_key: new Set<string>() };
  const add = (type: string | null, id: string | null) => {
    if (id && (type === 'account' || type === 'customer' || type === 'api_key')) ids[type].add(id);
  };
  for (const e of events) {
    add(e.actorType, e.actorId);
    add(e.targetType, e.targetId);
    if (typeof e.data.accountId === 'string') add('account', e.data.accountId);
  }
  const [accounts, customers, keys, sites] = await Promise.all([
    listOrgMembersByIds(db, org.id, [...ids.account]),
    listOrgCustomersByIds(db, org.id, [...ids.customer]),
    ids.api_key.size ? listApiKeys(db, org.id) : [],
    ids.customer.size ? listSites(db, org.id) : [],
  ]);
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  const parties: EventParties = new Map();
  for (const a of accounts) parties.set(a.id, { kind: 'account', ...a });
  for (const c of customers)
    parties.set(c.id, {
      kind: 'customer',
      id: c.id,
      name: c.displayName,
      email: c.email,
      status: c.status,
      siteName: siteName.get(c.siteId) ?? '',
    });
  for (const k of keys)
    if (ids.api_key.has(k.id)) parties.set(k.id, { kind: 'api_key', id: k.id, name: k.name });
  return parties;
}
