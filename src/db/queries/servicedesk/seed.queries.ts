import { sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { rowsOf } from '../raw-rows.ts';

/**
 * @fileoverview Set-based inserts for demo data: thousands of requests, comments and participants in a handful of
 * statements (INSERT … SELECT over generate_series), so the first start stays fast on PGlite.
 */

export interface BulkRequestsInput {
  orgId: string;
  siteId: string;
  serviceDeskId: number;
  projectKey: string;
  /** The first issue number to use (reserved on the desk beforehand). */
  firstNumber: number;
  requestTypeIds: number[];
  /** Reporters' site user ids; each gets `perReporter` requests. */
  reporterIds: string[];
  perReporter: number;
  /** The agent who answers (public reply, internal note) and is assignee of every third request. */
  agentId: string;
  summaries: string[];
  /** Minutes between two consecutive requests' creation times, counting back from now. */
  spacingMinutes: number;
}

/**
 * Inserts `reporterIds.length × perReporter` requests with a spread of statuses and times, then per request an
 * agent's public reply, the reporter's answer on every second one and an internal note on every fifth.
 * @returns the number of requests inserted
 */
export async function insertDemoRequests(db: Executor, input: BulkRequestsInput): Promise<number> {
  const statuses = ['Waiting for support', 'In progress', 'Waiting for customer', 'Resolved', 'Closed'];
  const result = await db.execute(sql`
    with reporters as (
      select r.site_user_id, r.ord
      from unnest(${`{${input.reporterIds.join(',')}}`}::text[]) with ordinality as r(site_user_id, ord)
    ), numbered as (
      select rep.site_user_id, (row_number() over (order by rep.ord, g.i) - 1)::int as seq
      from reporters rep cross join generate_series(1, ${input.perReporter}::int) as g(i)
    )
    insert into requests (org_id, site_id, service_desk_id, request_type_id, issue_key, summary, description, status,
                          reporter_id, assignee_id, created_at, updated_at, status_changed_at)
    select ${input.orgId}, ${input.siteId}, ${input.serviceDeskId},
           (${`{${input.requestTypeIds.join(',')}}`}::int[])[1 + seq % ${input.requestTypeIds.length}::int],
           ${input.projectKey} || '-' || (${input.firstNumber}::int + seq),
           (${`{${input.summaries.map((s) => `"${s.replace(/"/g, '')}"`).join(',')}}`}::text[])[1 + seq % ${input.summaries.length}::int]
             || ' (#' || (${input.firstNumber}::int + seq) || ')',
           'Reported through the help center. Demo data.',
           (${`{${statuses.map((s) => `"${s}"`).join(',')}}`}::text[])[1 + (seq * 7 / 3) % 5],
           site_user_id,
           case when seq % 3 = 0 then ${input.agentId} else null end,
           now() - (seq * ${input.spacingMinutes}::int + 60) * interval '1 minute',
           now() - (seq * ${input.spacingMinutes}::int + 30) * interval '1 minute',
           now() - (seq * ${input.spacingMinutes}::int + 30) * interval '1 minute'
    from numbered
    returning id`);
  const ids = rowsOf<{ id: number }>(result).map((r) => Number(r.id));
  if (ids.length === 0) return 0;
  const first = Math.min(...ids);
  const last = Math.max(...ids);
  await db.execute(sql`
    insert into request_comments (org_id, request_id, author_id, body, is_public, created_at)
    select org_id, id, ${input.agentId}, 'Thanks for reaching out — we are looking into it.', true, created_at + interval '5 minutes'
    from requests where service_desk_id = ${input.serviceDeskId} and id between ${first} and ${last}
    union all
    select org_id, id, reporter_id, 'Thank you! Any update?', true, created_at + interval '10 minutes'
    from requests where service_desk_id = ${input.serviceDeskId} and id between ${first} and ${last} and id % 2 = 0
    union all
    select org_id, id, ${input.agentId}, 'Internal: checked the logs, looks like a known issue.', false, created_at + interval '15 minutes'
    from requests where service_desk_id = ${input.serviceDeskId} and id between ${first} and ${last} and id % 5 = 0`);
  return ids.length;
}

/**
 * Adds a participant to requests of the given reporters: each reporter's requests are shared with the next person
 * in `ring` (wrapping around), every second request.
 */
export async function insertDemoParticipants(
  db: Executor,
  input: { orgId: string; serviceDeskId: number; ring: string[] },
): Promise<void> {
  if (input.ring.length < 2) return;
  await db.execute(sql`
    with ring as (
      select r.site_user_id, r.ord, count(*) over () as n
      from unnest(${`{${input.ring.join(',')}}`}::text[]) with ordinality as r(site_user_id, ord)
    )
    insert into request_participants (org_id, request_id, site_user_id)
    select ${input.orgId}, q.id, nxt.site_user_id
    from requests q
    join ring me on me.site_user_id = q.reporter_id
    join ring nxt on nxt.ord = (me.ord % me.n) + 1
    where q.service_desk_id = ${input.serviceDeskId} and q.id % 2 = 1
    on conflict do nothing`);
}

/** Shares every third request of the organization's members with the organization. */
export async function insertDemoRequestOrganizations(
  db: Executor,
  input: { orgId: string; serviceDeskId: number; customerOrganizationId: number },
): Promise<void> {
  await db.execute(sql`
    insert into request_organizations (org_id, request_id, customer_organization_id)
    select ${input.orgId}, q.id, ${input.customerOrganizationId}
    from requests q
    join customer_organization_members m on m.site_user_id = q.reporter_id and m.customer_organization_id = ${input.customerOrganizationId}
    where q.service_desk_id = ${input.serviceDeskId} and q.id % 3 = 0
    on conflict do nothing`);
}

/** Site users of the site's live portal-only customers, with their emails, in email order. */
export async function listCustomerSiteUsers(
  db: Executor,
  siteId: string,
): Promise<Array<{ siteUserId: string; customerId: string; email: string }>> {
  const result = await db.execute(sql`
    select su.id as "siteUserId", pc.id as "customerId", pc.email as email
    from site_users su join portal_customers pc on pc.id = su.customer_id
    where su.site_id = ${siteId} and pc.status = 'active'
    order by pc.email`);
  return rowsOf(result);
}
