import { sql } from 'drizzle-orm';
import type { Executor } from '#src/db/client.ts';

function rows<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** Row totals of an org's site-level data; a migration must leave them unchanged. */
export interface Totals {
  requests: number;
  comments: number;
  participants: number;
  approvers: number;
  organizationMembers: number;
  serviceDeskCustomers: number;
}

export async function countTotals(db: Executor, orgId: string): Promise<Totals> {
  const [row] = rows<Record<string, string | number>>(
    await db.execute(sql`
      select
        (select count(*) from requests where org_id = ${orgId}) as requests,
        (select count(*) from request_comments where org_id = ${orgId}) as comments,
        (select count(*) from request_participants where org_id = ${orgId}) as participants,
        (select count(*) from request_approvers where org_id = ${orgId}) as approvers,
        (select count(*) from customer_organization_members where org_id = ${orgId}) as organization_members,
        (select count(*) from service_desk_customers where org_id = ${orgId}) as service_desk_customers`),
  );
  return {
    requests: Number(row!.requests),
    comments: Number(row!.comments),
    participants: Number(row!.participants),
    approvers: Number(row!.approvers),
    organizationMembers: Number(row!.organization_members),
    serviceDeskCustomers: Number(row!.service_desk_customers),
  };
}

/**
 * The migration invariants of an org, as a list of violations (empty = all hold):
 * - every reference (every foreign key to `site_users`, found through `pg_constraint`) points to a live (active)
 *   site user;
 * - no email has two accounts;
 * - each migrated customer has exactly one mapping row, one `customer.migrated` audit event, a retired site user,
 *   and a mapping to the account it names; nothing else has a mapping row;
 * - no customer is left in the transient `migrating` state (unless `allowMigrating`: a state read while a chunked
 *   migration is under way, or right after a worker was killed in one).
 */
export async function findInvariantViolations(
  db: Executor,
  orgId: string,
  options: { allowMigrating?: boolean } = {},
): Promise<string[]> {
  const violations: string[] = [];
  // Every foreign key to site_users, found in the catalog (a new table is checked without editing this list).
  const refs = rows<{ table: string; column: string }>(
    await db.execute(sql`
      select c.conrelid::regclass::text as table, a.attname as column
      from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
      where c.contype = 'f' and c.confrelid = 'site_users'::regclass and c.conrelid <> c.confrelid`),
  );
  for (const { table, column } of refs) {
    const [row] = rows<{ n: string | number }>(
      await db.execute(
        sql.raw(`select count(*) as n from ${table} t join site_users u on u.id = t.${column}
                 where t.org_id = '${orgId.replace(/'/g, "''")}' and u.status <> 'active'`),
      ),
    );
    if (Number(row!.n) > 0)
      violations.push(`${table}.${column}: ${row!.n} rows point to a retired site user`);
  }
  const dupes = rows<{ email: string }>(
    await db.execute(
      sql`select lower(email) as email from accounts group by lower(email) having count(*) > 1`,
    ),
  );
  for (const d of dupes) violations.push(`email ${d.email} has more than one account`);

  const bad = rows<{ id: string; problem: string }>(
    await db.execute(sql`
      select c.id,
        case
          when (select count(*) from customer_migrations m where m.customer_id = c.id) <> 1 then 'mapping rows <> 1'
          when (select count(*) from audit_events e where e.org_id = c.org_id and e.action = 'customer.migrated'
                  and e.target_id = c.id) <> 1 then 'audit events <> 1'
          when exists (select 1 from site_users u where u.customer_id = c.id and u.status <> 'retired')
            then 'site user not retired'
          when (select account_id from customer_migrations m where m.customer_id = c.id) is distinct from c.migrated_to_account_id
            then 'mapping names another account'
          when not exists (select 1 from accounts a where a.id = c.migrated_to_account_id) then 'account missing'
        end as problem
      from portal_customers c
      where c.org_id = ${orgId} and c.status = 'migrated'`),
  );
  for (const b of bad) if (b.problem) violations.push(`customer ${b.id}: ${b.problem}`);
  const orphans = rows<{ customer_id: string }>(
    await db.execute(sql`
      select m.customer_id from customer_migrations m join portal_customers c on c.id = m.customer_id
      where m.org_id = ${orgId} and c.status <> 'migrated'`),
  );
  for (const o of orphans) violations.push(`customer ${o.customer_id}: mapping row but not migrated`);
  const [migrating] = rows<{ n: string | number }>(
    await db.execute(
      sql`select count(*) as n from portal_customers where org_id = ${orgId} and status = 'migrating'`,
    ),
  );
  if (Number(migrating!.n) > 0 && !options.allowMigrating)
    violations.push(`${migrating!.n} customers left in migrating`);
  return violations;
}
