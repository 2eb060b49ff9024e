import { sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import type { MigrationCounts } from '../../schema/index.ts';
import { jsonRows, rowsOf, toInt } from '../raw-rows.ts';

// The multi-table steps of one customer's migration, each ONE statement of data-modifying CTEs (one round trip,
// all or nothing), like `repoint.queries.ts`. Every other migration query lives with its table.

/** One migrated customer, as its closing writes need it. */
export interface MigratedCustomer {
  customerId: string;
  accountId: string;
  oldSiteUserId: string;
  newSiteUserId: string;
  email: string;
  oldUserKey: string;
  newUserKey: string;
  outcome: 'linked' | 'created';
  counts: MigrationCounts;
}

/** A set-password token and its message, for an account a migration created. */
export interface WelcomeMail {
  tokenId: string;
  tokenHash: string;
  accountId: string;
  email: string;
  expiresAt: Date;
  messageId: string;
  subject: string;
  text: string;
}

/**
 * The closing writes of one or more customers' migrations (a batch, or one customer alone) in ONE statement:
 * retire the old site users (linking each to its new one, which the guard trigger follows from then on), mark the
 * customers migrated, end their sessions and unused one-time tokens, add the accounts to the customer group, write
 * the mapping rows, finish the task items (with a task), and write the new accounts' set-password tokens and
 * welcome messages (`welcomes`: a batch's; one customer alone queues its own mail).
 * @returns how many task items it finished
 */
export async function finalizeMigrations(
  tx: Executor,
  input: {
    orgId: string;
    siteId: string;
    customerGroupId: string;
    taskId: string | null;
    migratedBy: string;
    at: Date;
    migrated: MigratedCustomer[];
    welcomes: WelcomeMail[];
  },
): Promise<number> {
  const at = sql`${input.at.toISOString()}::timestamptz`;
  const batch = jsonRows(
    input.migrated.map((m) => ({
      customer: m.customerId,
      account: m.accountId,
      o: m.oldSiteUserId,
      n: m.newSiteUserId,
      email: m.email,
      old_key: m.oldUserKey,
      new_key: m.newUserKey,
      outcome: m.outcome,
      counts: m.counts,
    })),
  );
  const welcomes = jsonRows(input.welcomes.map((w) => ({ ...w, expiresAt: w.expiresAt.toISOString() })));
  const result = await tx.execute(sql`
    with
      b as (
        select * from jsonb_to_recordset(${batch}) as b(customer text, account text, o text, n text, email text,
          old_key text, new_key text, outcome text, counts jsonb)),
      w as (
        select * from jsonb_to_recordset(${welcomes}) as w("tokenId" text, "tokenHash" text, "accountId" text,
          email text, "expiresAt" timestamptz, "messageId" text, subject text, text text)),
      retired as (
        update site_users u set status = 'retired', replaced_by = b.n from b where u.id = b.o returning 1),
      migrated as (
        update portal_customers c
        set status = 'migrated', migrated_to_account_id = b.account, migrated_at = ${at}, updated_at = ${at}
        from b where c.id = b.customer
        returning 1),
      ended_sessions as (delete from sessions where customer_id in (select customer from b) returning 1),
      ended_tokens as (
        delete from auth_tokens where customer_id in (select customer from b) and used_at is null returning 1),
      grouped as (
        insert into group_members (org_id, group_id, account_id)
        select distinct ${input.orgId}, ${input.customerGroupId}, account from b
        on conflict do nothing
        returning 1),
      mapped as (
        insert into customer_migrations
          (customer_id, org_id, site_id, account_id, email, old_user_key, new_user_key, outcome, counts, task_id,
           migrated_by, created_at)
        select customer, ${input.orgId}, ${input.siteId}, account, email, old_key, new_key, outcome, counts,
          ${input.taskId}, ${input.migratedBy}, ${at}
        from b
        returning 1),
      items as (
        update migration_task_items i
        set status = 'succeeded', account_id = b.account, outcome = b.outcome, counts = b.counts, finished_at = ${at}
        from b where i.task_id = ${input.taskId} and i.customer_id = b.customer and i.status = 'pending'
        returning 1),
      tokens as (
        insert into auth_tokens (id, token_hash, purpose, account_id, org_id, site_id, email, data, created_at,
          expires_at)
        select "tokenId", "tokenHash", 'set_password', "accountId", ${input.orgId}, ${input.siteId}, email,
          '{"reason":"migration"}'::jsonb, ${at}, "expiresAt"
        from w
        returning 1),
      outbox as (
        insert into mail_outbox (id, org_id, kind, "to", subject, text, created_at)
        select "messageId", ${input.orgId}, 'migration.set_password', email, subject, text, ${at} from w
        returning 1)
    select (select count(*) from items) as items,
      (select count(*) from retired) + (select count(*) from migrated) + (select count(*) from ended_sessions)
      + (select count(*) from ended_tokens) + (select count(*) from grouped) + (select count(*) from mapped)
      + (select count(*) from tokens) + (select count(*) from outbox) as n`);
  return toInt(rowsOf<{ items: unknown }>(result)[0]?.items);
}

/**
 * The first transaction of a chunked migration, in one statement: the customer becomes `migrating`, its site
 * user points at the account's (`replaced_by`, which the guard trigger follows from now on), and the task item
 * records the account, the outcome and zero counts (the chunks add to them).
 */
export async function beginMigratingState(
  tx: Executor,
  input: {
    taskId: string;
    customerId: string;
    oldSiteUserId: string;
    newSiteUserId: string;
    accountId: string;
    outcome: 'linked' | 'created';
    counts: MigrationCounts;
    at: Date;
  },
): Promise<void> {
  const at = input.at.toISOString();
  await tx.execute(sql`
    with
      customer as (
        update portal_customers set status = 'migrating', updated_at = ${at}::timestamptz
        where id = ${input.customerId} returning 1),
      linked as (
        update site_users set replaced_by = ${input.newSiteUserId} where id = ${input.oldSiteUserId} returning 1),
      item as (
        update migration_task_items
        set account_id = ${input.accountId}, outcome = ${input.outcome}, counts = ${JSON.stringify(input.counts)}::jsonb
        where task_id = ${input.taskId} and customer_id = ${input.customerId} and status = 'pending'
        returning 1)
    select (select count(*) from customer) + (select count(*) from linked) + (select count(*) from item) as n`);
}
