import { sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { type MigrationCounts, NO_MIGRATION_COUNTS } from '../../schema/index.ts';
import { rowsOf, toInt } from '../raw-rows.ts';

/**
 * The counts of what moved, from a row with the columns `requests`, `raised`, `assigned`, `comments`, `participants`,
 * `approvals`, `organization_memberships` and `service_desk_memberships`.
 */
export function migrationCountsOf(row: Record<string, unknown> | undefined): MigrationCounts {
  return {
    requests: toInt(row?.requests),
    raisedOnBehalf: toInt(row?.raised),
    assigned: toInt(row?.assigned),
    comments: toInt(row?.comments),
    participants: toInt(row?.participants),
    approvals: toInt(row?.approvals),
    organizationMemberships: toInt(row?.organization_memberships),
    serviceDeskMemberships: toInt(row?.service_desk_memberships),
  };
}

/**
 * The migration's side of the write protocol (docs/ARCHITECTURE.md, "Write protocol"): locks the old site user
 * `FOR UPDATE` before anything is re-pointed, so writers whose guard trigger already read it `FOR SHARE` commit
 * first (and the re-pointing statement, a new snapshot under READ COMMITTED, sees their rows), while later
 * writers wait and then follow `replaced_by`. It also marks the transaction as the re-pointer, so the guard
 * trigger does not check the rows it moves. Returns the locked row's `replaced_by`.
 */
export async function lockSiteUserForRepointing(
  tx: Executor,
  oldSiteUserId: string,
  options: { chunk?: boolean } = {},
): Promise<{ replacedBy: string | null } | undefined> {
  // A chunk reads each table in key order through its (person, key) index and stops after `limit` rows. With
  // the statistics of a history that was just written (a few rows per person), the planner would rather fetch
  // all the person's remaining rows with a bitmap scan and sort them: every chunk would read the whole rest.
  const keyOrder = options.chunk ? sql`, set_config('enable_bitmapscan', 'off', true)` : sql``;
  const result = await tx.execute(sql`
    select u.replaced_by, set_config('gatehouse.repointing', 'on', true) as marked${keyOrder}
    from site_users u where u.id = ${oldSiteUserId} for update of u`);
  const [row] = rowsOf<{ replaced_by: string | null }>(result);
  return row ? { replacedBy: row.replaced_by } : undefined;
}

/**
 * Re-points site-level references from `oldSiteUserId` to `newSiteUserId` in ONE statement (data-modifying CTEs:
 * one round trip, one snapshot), returning what moved: everything, or with `chunk` at most `limit` rows of each
 * table after `chunk.after`, with the cursor the next chunk starts from (one chunk of a chunked migration).
 *
 * - Plain columns (request reporter / raised-by / assignee, comment author) are updated in place; the three
 *   request columns in one UPDATE so a row where the customer is both reporter and raiser is written once.
 * - Tables whose primary key includes the site user (participants, approvers, customer-organization members,
 *   service-desk customers) get `INSERT … SELECT … ON CONFLICT DO NOTHING` for the new user and a DELETE of the
 *   old rows, so a reference the account already had is never duplicated.
 *
 * Counts are taken from the statement's snapshot (before the change), so they are exact even when the account
 * already had references of its own. Every part is idempotent: re-running it after a partial run moves only
 * what still points at the old user, so chunks can run in separate transactions and resume after a crash.
 */
export async function repointSiteUserReferences(
  tx: Executor,
  oldSiteUserId: string,
  newSiteUserId: string,
  chunk?: { limit: number; after?: RepointCursor },
): Promise<{ counts: MigrationCounts; rows: number; cursor: RepointCursor }> {
  const o = oldSiteUserId;
  const n = newSiteUserId;
  const after = chunk?.after ?? {};
  // A chunk takes the rows of each table in key order after the last one the previous chunk moved: the
  // (person, key) indexes seek straight past the moved rows, so chunk k does not walk the k-1 chunks' dead
  // index entries again (quadratic on PGlite, which has no autovacuum to remove them).
  const next = (key: keyof RepointCursor, column: string) =>
    chunk === undefined
      ? sql``
      : sql` and ${sql.raw(column)} > ${after[key] ?? 0} order by ${sql.raw(column)} limit ${chunk.limit}`;
  const cap = chunk === undefined ? sql`` : sql` limit ${chunk.limit}`;
  const result = await tx.execute(sql`
    with
      -- One index scan per column (an OR under a LIMIT can turn into a scan of the whole table).
      req_rep as (select id from requests where reporter_id = ${o}${next('reporter', 'id')}),
      req_rai as (select id from requests where raised_by_id = ${o}${next('raisedBy', 'id')}),
      req_asg as (select id from requests where assignee_id = ${o}${next('assignee', 'id')}),
      req as (
        select id, reporter_id, raised_by_id, assignee_id from requests
        where id in (select id from req_rep union select id from req_rai union select id from req_asg)
      ),
      req_counts as (
        select
          count(*) filter (where reporter_id = ${o}) as requests,
          count(*) filter (where raised_by_id = ${o}) as raised,
          count(*) filter (where assignee_id = ${o}) as assigned
        from req
      ),
      req_upd as (
        update requests set
          reporter_id = case when reporter_id = ${o} then ${n} else reporter_id end,
          raised_by_id = case when raised_by_id = ${o} then ${n} else raised_by_id end,
          assignee_id = case when assignee_id = ${o} then ${n} else assignee_id end
        where id in (select id from req)
        returning 1
      ),
      com as (select id from request_comments where author_id = ${o}${next('comments', 'id')}),
      com_upd as (
        update request_comments set author_id = ${n} where id in (select id from com) returning 1
      ),
      par as (
        select org_id, request_id, created_at from request_participants
        where site_user_id = ${o}${next('participants', 'request_id')}
      ),
      par_ins as (
        insert into request_participants (org_id, request_id, site_user_id, created_at)
        select org_id, request_id, ${n}, created_at from par
        on conflict do nothing
        returning 1
      ),
      par_del as (
        delete from request_participants
        where site_user_id = ${o} and request_id in (select request_id from par) returning 1
      ),
      apr as (
        select org_id, approval_id, decision from request_approvers
        where site_user_id = ${o}${next('approvers', 'approval_id')}
      ),
      apr_ins as (
        insert into request_approvers (org_id, approval_id, site_user_id, decision)
        select org_id, approval_id, ${n}, decision from apr
        on conflict do nothing
        returning 1
      ),
      apr_del as (
        delete from request_approvers
        where site_user_id = ${o} and approval_id in (select approval_id from apr) returning 1
      ),
      mem as (
        select org_id, customer_organization_id, created_at
        from customer_organization_members where site_user_id = ${o}${cap}
      ),
      mem_ins as (
        insert into customer_organization_members (org_id, customer_organization_id, site_user_id, created_at)
        select org_id, customer_organization_id, ${n}, created_at from mem
        on conflict do nothing
        returning 1
      ),
      mem_del as (
        delete from customer_organization_members
        where site_user_id = ${o} and customer_organization_id in (select customer_organization_id from mem)
        returning 1
      ),
      sdc as (
        select org_id, service_desk_id, created_at from service_desk_customers where site_user_id = ${o}${cap}
      ),
      sdc_ins as (
        insert into service_desk_customers (org_id, service_desk_id, site_user_id, created_at)
        select org_id, service_desk_id, ${n}, created_at from sdc
        on conflict do nothing
        returning 1
      ),
      sdc_del as (
        delete from service_desk_customers
        where site_user_id = ${o} and service_desk_id in (select service_desk_id from sdc) returning 1
      ),
      -- Attachments, feedback, notification settings and request-type approvers move with the person too
      -- (not reported in the counts: they are not part of the article's list of what moves).
      att_upd as (
        update request_attachments set author_id = ${n}
        where id in (select id from request_attachments where author_id = ${o}${next('attachments', 'id')})
        returning id
      ),
      fb_upd as (
        update request_feedback set author_id = ${n}
        where request_id in (
          select request_id from request_feedback where author_id = ${o}${next('feedback', 'request_id')})
        returning request_id
      ),
      nts as (
        select org_id, request_id, subscribed from request_notification_settings
        where site_user_id = ${o}${next('notifications', 'request_id')}
      ),
      nts_ins as (
        insert into request_notification_settings (org_id, request_id, site_user_id, subscribed)
        select org_id, request_id, ${n}, subscribed from nts
        on conflict do nothing
        returning 1
      ),
      nts_del as (
        delete from request_notification_settings
        where site_user_id = ${o} and request_id in (select request_id from nts) returning 1
      ),
      rta as (
        select org_id, request_type_id, created_at from request_type_approvers where site_user_id = ${o}${cap}
      ),
      rta_ins as (
        insert into request_type_approvers (org_id, request_type_id, site_user_id, created_at)
        select org_id, request_type_id, ${n}, created_at from rta
        on conflict do nothing
        returning 1
      ),
      rta_del as (
        delete from request_type_approvers
        where site_user_id = ${o} and request_type_id in (select request_type_id from rta) returning 1
      )
    select
      (select requests from req_counts) as requests,
      (select raised from req_counts) as raised,
      (select assigned from req_counts) as assigned,
      (select count(*) from req_upd) as request_rows,
      (select count(*) from com_upd) as comments,
      (select count(*) from par_ins) as participants_added,
      (select count(*) from par_del) as participants,
      (select count(*) from apr_ins) as approvers_added,
      (select count(*) from apr_del) as approvals,
      (select count(*) from mem_ins) as org_members_added,
      (select count(*) from mem_del) as organization_memberships,
      (select count(*) from sdc_ins) as desk_customers_added,
      (select count(*) from sdc_del) as service_desk_memberships,
      (select count(*) from att_upd) + (select count(*) from fb_upd) + (select count(*) from nts_del)
        + (select count(*) from rta_del) as other_rows,
      (select max(id) from req_rep) as reporter_key,
      (select max(id) from req_rai) as raised_by_key,
      (select max(id) from req_asg) as assignee_key,
      (select max(id) from com) as comments_key,
      (select max(request_id) from par) as participants_key,
      (select max(approval_id) from apr) as approvers_key,
      (select max(id) from att_upd) as attachments_key,
      (select max(request_id) from fb_upd) as feedback_key,
      (select max(request_id) from nts) as notifications_key
  `);
  const [row] = rowsOf<Record<string, unknown>>(result);
  const counts = migrationCountsOf(row);
  const rows =
    toInt(row?.request_rows) +
    counts.comments +
    counts.participants +
    counts.approvals +
    counts.organizationMemberships +
    counts.serviceDeskMemberships +
    toInt(row?.other_rows);
  // Where each table's next chunk starts: the last key moved, or where this one started when it moved none.
  const key = (moved: unknown, previous: number | undefined) =>
    moved == null ? (previous ?? 0) : toInt(moved);
  const cursor: RepointCursor = {
    reporter: key(row?.reporter_key, after.reporter),
    raisedBy: key(row?.raised_by_key, after.raisedBy),
    assignee: key(row?.assignee_key, after.assignee),
    comments: key(row?.comments_key, after.comments),
    participants: key(row?.participants_key, after.participants),
    approvers: key(row?.approvers_key, after.approvers),
    attachments: key(row?.attachments_key, after.attachments),
    feedback: key(row?.feedback_key, after.feedback),
    notifications: key(row?.notifications_key, after.notifications),
  };
  return { counts, rows, cursor };
}

/** Per table (and per person column of `requests`), the last row key a chunk re-pointed. */
export type RepointCursor = Partial<
  Record<
    | 'reporter'
    | 'raisedBy'
    | 'assignee'
    | 'comments'
    | 'participants'
    | 'approvers'
    | 'attachments'
    | 'feedback'
    | 'notifications',
    number
  >
>;

/**
 * Whether the customer must migrate in chunks: it is already `migrating` (a chunked migration under way), or its
 * site user has more than `threshold` references in one of the big tables (counting stops there).
 */
export async function needsChunkedMigration(
  db: Executor,
  customerId: string,
  threshold: number,
): Promise<boolean> {
  const over = (from: ReturnType<typeof sql>) =>
    sql`(select count(*) from (select 1 from ${from} limit ${threshold + 1}) x) > ${threshold}`;
  const result = await db.execute(sql`
    select c.status = 'migrating'
      or (c.status in ('active', 'revoked') and (
        ${over(sql`requests r where r.reporter_id = u.id`)}
        or ${over(sql`requests r where r.raised_by_id = u.id`)}
        or ${over(sql`requests r where r.assignee_id = u.id`)}
        or ${over(sql`request_comments m where m.author_id = u.id`)}
        or ${over(sql`request_participants p where p.site_user_id = u.id`)}
        or ${over(sql`request_approvers a where a.site_user_id = u.id`)})) as chunked
    from portal_customers c join site_users u on u.customer_id = c.id
    where c.id = ${customerId}`);
  return Boolean(rowsOf<{ chunked: boolean }>(result)[0]?.chunked);
}

/**
 * What a migration of each site user would move, set-based (one grouped query per table), for dry runs.
 * Keys are site user ids; a user with nothing has all zeros.
 */
export async function countSiteUserReferences(
  db: Executor,
  siteUserIds: string[],
): Promise<Map<string, MigrationCounts>> {
  const counts = new Map<string, MigrationCounts>();
  for (const id of siteUserIds) {
    counts.set(id, { ...NO_MIGRATION_COUNTS });
  }
  if (siteUserIds.length === 0) return counts;
  const ids = sql`array[${sql.join(
    siteUserIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::text[]`;
  const result = await db.execute(sql`
    with ids as (select unnest(${ids}) as id)
    select ids.id,
      (select count(*) from requests where reporter_id = ids.id) as requests,
      (select count(*) from requests where raised_by_id = ids.id) as raised,
      (select count(*) from requests where assignee_id = ids.id) as assigned,
      (select count(*) from request_comments where author_id = ids.id) as comments,
      (select count(*) from request_participants where site_user_id = ids.id) as participants,
      (select count(*) from request_approvers where site_user_id = ids.id) as approvals,
      (select count(*) from customer_organization_members where site_user_id = ids.id) as organization_memberships,
      (select count(*) from service_desk_customers where site_user_id = ids.id) as service_desk_memberships
    from ids
  `);
  for (const row of rowsOf<Record<string, unknown>>(result)) {
    counts.set(String(row.id), migrationCountsOf(row));
  }
  return counts;
}
