import { sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import type { MigrationCounts } from '../../schema/index.ts';
import { jsonRows, rowsOf } from '../raw-rows.ts';
import { migrationCountsOf } from './repoint.queries.ts';

// The set-based statements of a batch migration (`migrate-customer-batch.ts`): each moves every customer of the
// batch at once, so a batch costs the same handful of round trips whether it holds one customer or fifty. Rows
// travel as one jsonb parameter (`jsonb_to_recordset`), whatever their number.

const textArray = (values: string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/**
 * Claims the task's pending items of these customers for this transaction (`FOR UPDATE SKIP LOCKED`): an item
 * another runner holds, or one already finished, is left out.
 */
export async function claimTaskItems(
  tx: Executor,
  taskId: string,
  customerIds: string[],
): Promise<Array<{ customerId: string; resumed: boolean }>> {
  const result = await tx.execute(sql`
    select customer_id, outcome is not null as resumed from migration_task_items
    where task_id = ${taskId} and customer_id = any(${textArray(customerIds)}) and status = 'pending'
    order by customer_id
    for update skip locked`);
  return rowsOf<{ customer_id: string; resumed: boolean }>(result).map((r) => ({
    customerId: r.customer_id,
    resumed: r.resumed,
  }));
}

/**
 * For the rest of the transaction, prepared statements (`src/db/prepared-statements.ts`, PostgreSQL) run on their
 * generic plan. A batch's statements take their rows as one jsonb parameter, which a custom plan cannot look into,
 * so planning them anew at each execution (PostgreSQL's choice for the first five, and while a custom plan looks
 * cheaper) buys nothing and cost the re-pointing statement 7–13 ms of a one-customer batch instead of 3.5 ms.
 */
export async function useGenericPlans(tx: Executor): Promise<void> {
  await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
}

/** A customer of a batch as locked: its site user, the account with its email (if any) and its history's size. */
export interface BatchCustomerRow {
  customerId: string;
  orgId: string;
  status: string;
  email: string | null;
  displayName: string;
  siteUserId: string;
  userKey: string;
  replacedBy: string | null;
  twinAccountId: string | null;
  twinVerified: boolean;
  twinSiteUserId: string | null;
  twinUserKey: string | null;
  /** Every table holds at most `historyLimit` rows of this customer (the batch takes only small histories). */
  small: boolean;
}

/**
 * Locks the customers (then their site users: the write protocol's `FOR UPDATE`, see
 * `lockSiteUserForRepointing`) in id order and marks the transaction as the re-pointer, reading in the same
 * statement the account each would link to and whether its history is small enough for a batch.
 */
export async function lockBatchCustomers(
  tx: Executor,
  siteId: string,
  customerIds: string[],
  historyLimit: number,
): Promise<BatchCustomerRow[]> {
  const over = (from: ReturnType<typeof sql>) =>
    sql`(select count(*) from (select 1 from ${from} limit ${historyLimit + 1}) x) > ${historyLimit}`;
  const result = await tx.execute(sql`
    select c.id, c.org_id, c.status, c.email, c.display_name, u.id as su, u.user_key, u.replaced_by,
      a.id as twin, a.email_verified_at is not null as twin_verified,
      t.id as twin_su, t.user_key as twin_key,
      not (${over(sql`requests r where r.reporter_id = u.id`)}
        or ${over(sql`requests r where r.raised_by_id = u.id`)}
        or ${over(sql`requests r where r.assignee_id = u.id`)}
        or ${over(sql`request_comments m where m.author_id = u.id`)}
        or ${over(sql`request_participants p where p.site_user_id = u.id`)}
        or ${over(sql`request_approvers p where p.site_user_id = u.id`)}) as small,
      set_config('gatehouse.repointing', 'on', true) as marked
    from portal_customers c
    join site_users u on u.customer_id = c.id
    left join accounts a on lower(a.email) = lower(c.email)
    left join site_users t on t.site_id = c.site_id and t.account_id = a.id
    where c.site_id = ${siteId} and c.id = any(${textArray(customerIds)})
    order by c.id
    for update of c, u`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    customerId: String(r.id),
    orgId: String(r.org_id),
    status: String(r.status),
    email: (r.email as string | null) ?? null,
    displayName: String(r.display_name),
    siteUserId: String(r.su),
    userKey: String(r.user_key),
    replacedBy: (r.replaced_by as string | null) ?? null,
    twinAccountId: (r.twin as string | null) ?? null,
    twinVerified: Boolean(r.twin_verified),
    twinSiteUserId: (r.twin_su as string | null) ?? null,
    twinUserKey: (r.twin_key as string | null) ?? null,
    small: Boolean(r.small),
  }));
}

/** Who each customer of a batch becomes: a new or linked account, and its site user (new or already there). */
export interface BatchTarget {
  accountId: string;
  /** A new account (email, name) is created; otherwise the account exists. */
  newAccount: { email: string; name: string } | null;
  siteUserId: string;
  userKey: string;
  /** The site user is new (created accounts, and linked accounts without one on the site). */
  newSiteUser: boolean;
}

/** Creates the new accounts, the org memberships and the new site users of a batch in one statement. */
export async function createBatchTargets(
  tx: Executor,
  tenant: { orgId: string; siteId: string },
  targets: BatchTarget[],
): Promise<void> {
  const rows = targets.map((t) => ({
    account: t.accountId,
    created: t.newAccount !== null,
    email: t.newAccount?.email ?? null,
    name: t.newAccount?.name ?? null,
    site_user: t.siteUserId,
    user_key: t.userKey,
    new_site_user: t.newSiteUser,
  }));
  await tx.execute(sql`
    with
      b as (
        select * from jsonb_to_recordset(${jsonRows(rows)}) as b(account text, created boolean, email text, name text,
          site_user text, user_key text, new_site_user boolean)),
      created as (
        insert into accounts (id, email, name) select account, email, name from b where created returning 1),
      members as (
        insert into org_memberships (org_id, account_id) select ${tenant.orgId}, account from b
        on conflict do nothing returning 1),
      users as (
        insert into site_users (id, org_id, site_id, user_key, kind, account_id)
        select site_user, ${tenant.orgId}, ${tenant.siteId}, user_key, 'account', account from b where new_site_user
        returning 1)
    select (select count(*) from created) + (select count(*) from members) + (select count(*) from users) as n`);
}

/**
 * Re-points every site-level reference of each old site user to its new one, for a whole batch in ONE statement,
 * with what moved per old site user. The same writes as `repointSiteUserReferences` (see there for why each
 * table is written the way it is), over a map of old → new instead of one pair, without chunks (batches take
 * only small histories).
 */
export async function repointBatchReferences(
  tx: Executor,
  pairs: Array<{ oldSiteUserId: string; newSiteUserId: string }>,
): Promise<Map<string, MigrationCounts>> {
  const olds = textArray(pairs.map((p) => p.oldSiteUserId));
  const map = jsonRows(pairs.map((p) => ({ o: p.oldSiteUserId, n: p.newSiteUserId })));
  // Tables keyed by the person: copy each row to the new user (a row the account already has wins), drop the old.
  const moveKeyed = (name: string, table: string, key: string, columns: string) => sql`
      ${sql.raw(name)} as (
        select ${sql.raw(columns)}, ${sql.raw(key)}, m.o, m.n from ${sql.raw(table)} x join map m on m.o = x.site_user_id
        where x.site_user_id = any(${olds})),
      ${sql.raw(name)}_ins as (
        insert into ${sql.raw(table)} (${sql.raw(columns)}, ${sql.raw(key)}, site_user_id)
        select ${sql.raw(columns)}, ${sql.raw(key)}, n from ${sql.raw(name)}
        on conflict do nothing returning 1),
      ${sql.raw(name)}_del as (
        delete from ${sql.raw(table)} x using map m where x.site_user_id = m.o and x.site_user_id = any(${olds})
        returning m.o)`;
  const result = await tx.execute(sql`
    with
      map (o, n) as (select o, n from jsonb_to_recordset(${map}) as m(o text, n text)),
      req as (
        select id, reporter_id, raised_by_id, assignee_id from requests
        where id in (
          select id from requests where reporter_id = any(${olds})
          union select id from requests where raised_by_id = any(${olds})
          union select id from requests where assignee_id = any(${olds}))),
      req_upd as (
        update requests r set
          reporter_id = coalesce((select n from map where o = r.reporter_id), r.reporter_id),
          raised_by_id = coalesce((select n from map where o = r.raised_by_id), r.raised_by_id),
          assignee_id = coalesce((select n from map where o = r.assignee_id), r.assignee_id)
        where r.id in (select id from req)
        returning 1),
      com as (
        update request_comments c set author_id = m.n from map m where c.author_id = m.o and c.author_id = any(${olds})
        returning m.o),
      ${moveKeyed('par', 'request_participants', 'request_id', 'org_id, created_at')},
      ${moveKeyed('apr', 'request_approvers', 'approval_id', 'org_id, decision')},
      ${moveKeyed('mem', 'customer_organization_members', 'customer_organization_id', 'org_id, created_at')},
      ${moveKeyed('sdc', 'service_desk_customers', 'service_desk_id', 'org_id, created_at')},
      ${moveKeyed('nts', 'request_notification_settings', 'request_id', 'org_id, subscribed')},
      ${moveKeyed('rta', 'request_type_approvers', 'request_type_id', 'org_id, created_at')},
      att_upd as (
        update request_attachments x set author_id = m.n from map m
        where x.author_id = m.o and x.author_id = any(${olds}) returning 1),
      fb_upd as (
        update request_feedback x set author_id = m.n from map m
        where x.author_id = m.o and x.author_id = any(${olds}) returning 1)
    select m.o,
      (select count(*) from req r where r.reporter_id = m.o) as requests,
      (select count(*) from req r where r.raised_by_id = m.o) as raised,
      (select count(*) from req r where r.assignee_id = m.o) as assigned,
      (select count(*) from com where com.o = m.o) as comments,
      (select count(*) from par_del d where d.o = m.o) as participants,
      (select count(*) from apr_del d where d.o = m.o) as approvals,
      (select count(*) from mem_del d where d.o = m.o) as organization_memberships,
      (select count(*) from sdc_del d where d.o = m.o) as service_desk_memberships,
      (select count(*) from req_upd) + (select count(*) from par_ins) + (select count(*) from apr_ins)
        + (select count(*) from mem_ins) + (select count(*) from sdc_ins) + (select count(*) from nts_ins)
        + (select count(*) from nts_del) + (select count(*) from rta_ins) + (select count(*) from rta_del)
        + (select count(*) from att_upd) + (select count(*) from fb_upd) as other_rows
    from map m`);
  const counts = new Map<string, MigrationCounts>();
  for (const row of rowsOf<Record<string, unknown>>(result)) {
    counts.set(String(row.o), migrationCountsOf(row));
  }
  return counts;
}
