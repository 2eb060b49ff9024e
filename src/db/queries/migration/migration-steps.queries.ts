import { sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import type { MigrationCounts } from '../../schema/index.ts';

// The multi-table steps of one customer's migration, each ONE statement of data-modifying CTEs (one round trip,
// all or nothing), like `repoint.queries.ts`. Every other migration query lives with its table.

/**
 * The closing writes of one customer's migration in ONE statement (data-modifying CTEs, one round trip): retire
 * the old site user (linking it to the new one, which the guard trigger follows from then on), mark the customer migrated, end its sessions and unused one-time tokens, add the account to
 * the customer group, and write the mapping row.
 */
export async function finalizeCustomerMigration(
  tx: Executor,
  input: {
    orgId: string;
    siteId: string;
    customerId: string;
    oldSiteUserId: string;
    newSiteUserId: string;
    accountId: string;
    customerGroupId: string;
    email: string;
    oldUserKey: string;
    newUserKey: string;
    outcome: 'linked' | 'created';
    counts: MigrationCounts;
    taskId: string | null;
    migratedBy: string;
    at: Date;
  },
): Promise<void> {
  const at = input.at.toISOString();
  await tx.execute(sql`
    with
      retired as (
        update site_users set status = 'retired', replaced_by = ${input.newSiteUserId}
        where id = ${input.oldSiteUserId} returning 1),
      migrated as (
        update portal_customers
        set status = 'migrated', migrated_to_account_id = ${input.accountId}, migrated_at = ${at}::timestamptz,
            updated_at = ${at}::timestamptz
        where id = ${input.customerId}
        returning 1),
      ended_sessions as (delete from sessions where customer_id = ${input.customerId} returning 1),
      ended_tokens as (delete from auth_tokens where customer_id = ${input.customerId} and used_at is null returning 1),
      grouped as (
        insert into group_members (org_id, group_id, account_id)
        values (${input.orgId}, ${input.customerGroupId}, ${input.accountId})
        on conflict do nothing
        returning 1),
      mapped as (
        insert into customer_migrations
          (customer_id, org_id, site_id, account_id, email, old_user_key, new_user_key, outcome, counts, task_id,
           migrated_by, created_at)
        values (${input.customerId}, ${input.orgId}, ${input.siteId}, ${input.accountId}, ${input.email},
          ${input.oldUserKey}, ${input.newUserKey}, ${input.outcome}, ${JSON.stringify(input.counts)}::jsonb,
          ${input.taskId}, ${input.migratedBy}, ${at}::timestamptz)
        returning 1)
    select (select count(*) from retired) + (select count(*) from migrated) + (select count(*) from ended_sessions)
      + (select count(*) from ended_tokens) + (select count(*) from grouped) + (select count(*) from mapped) as n`);
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
