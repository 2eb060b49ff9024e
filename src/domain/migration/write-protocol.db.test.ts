/**
 * @fileoverview The write protocol for references to site users (docs/ARCHITECTURE.md, "Write protocol"): no row
 * can be committed pointing at a retired site user. Every foreign key to `site_users` has the guard trigger; a write
 * that names a migrated customer's old site user lands on the account's site user (or is refused with 409 naming
 * the account); and, on PostgreSQL, the two interleavings of a writer and a migration both end on the new site user.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '#src/db/client.ts';
import { rowsOf } from '#src/db/queries/raw-rows.ts';
import { type Actor, SYSTEM } from '#src/domain/policies/actor.ts';
import { addDeskCustomers } from '#src/domain/servicedesk/add-desk-customers.ts';
import { createRequest } from '#src/domain/servicedesk/create-request.ts';
import { addOrganizationMembers } from '#src/domain/servicedesk/customer-organizations.ts';
import { resolveDeskViewer } from '#src/domain/servicedesk/desk-viewer.ts';
import { getVisibleRequest } from '#src/domain/servicedesk/get-request.ts';
import { addRequestParticipants } from '#src/domain/servicedesk/request-participants.ts';
import { isAppError } from '#src/shared/errors.ts';
import { buildCustomer } from '#src/test/factories/directory.ts';
import { buildCustomerOrganization, buildDeskTenant } from '#src/test/factories/servicedesk.ts';
import { findInvariantViolations } from '#src/test/helpers/invariants.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { migrateCustomerNow } from './migrate-customer.ts';

const ON_PG = Boolean(process.env.DATABASE_URL);
/** A loaded machine (eight suites at once) can take minutes; the limit only catches a hang. */
const SLOW = 180_000;
let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
}, 120_000);
afterAll(() => server.close());

async function query<T>(db: Executor, statement: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await db.execute(statement));
}

/** A desk tenant with one portal-only customer on the desk and in a customer organization. */
async function scene() {
  const t = await buildDeskTenant(server.services, { access: 'open', sharing: 'any_customer' });
  const { customer, siteUser } = await buildCustomer(server.services, { orgId: t.org.id, siteId: t.site.id });
  await addDeskCustomers(
    { services: server.services, actor: SYSTEM, tenant: { site: t.site } },
    {
      serviceDeskId: t.desk.id,
      accountIds: [customer.id],
    },
  );
  const organization = await buildCustomerOrganization(server.services, t.site, t.desk.id, []);
  const agent: Actor = { type: 'account', accountId: t.agent.account.id, email: '', via: 'api_token' };
  const raise = (reporter: string, summary = 'Printer on fire') =>
    createRequest(
      { services: server.services, actor: agent, tenant: { site: t.site } },
      {
        serviceDeskId: t.desk.id,
        requestTypeId: t.requestType.id,
        summary,
        raiseOnBehalfOf: reporter,
      },
    );
  const migrate = () =>
    migrateCustomerNow(
      { services: server.services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
      {
        customerId: customer.id,
      },
    );
  return { t, customer, oldSiteUserId: siteUser.id, organization, agent, raise, migrate };
}

/** Every foreign-key column to `site_users` (except its own `replaced_by`), found through the catalog. */
async function siteUserReferences(db: Executor) {
  return query<{ table: string; column: string }>(
    db,
    sql`select c.conrelid::regclass::text as table, a.attname as column
        from pg_constraint c
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
        where c.contype = 'f' and c.confrelid = 'site_users'::regclass and c.conrelid <> c.confrelid
        order by 1, 2`,
  );
}

describe('the site-user guard trigger', { timeout: SLOW }, () => {
  it('guards every foreign key to site_users, on insert and on update of the column', async () => {
    const refs = await siteUserReferences(server.services.db);
    expect(refs.length).toBeGreaterThanOrEqual(9);
    const triggers = await query<{ table: string; def: string }>(
      server.services.db,
      sql`select t.tgrelid::regclass::text as table, pg_get_triggerdef(t.oid) as def
          from pg_trigger t where t.tgfoid = 'site_user_reference_guard'::regproc and not t.tgisinternal`,
    );
    const unguarded = refs.filter(
      ({ table, column }) =>
        !triggers.some(
          (trigger) =>
            trigger.table === table &&
            /BEFORE INSERT OR UPDATE OF/.test(trigger.def) &&
            new RegExp(`UPDATE OF [^O]*\\b${column}\\b`).test(trigger.def) &&
            trigger.def.includes(`'${column}'`),
        ),
    );
    expect(unguarded, 'add the column to a site_user_reference_guard trigger').toEqual([]);
  });

  it('redirects a reference to a migrated customer’s old site user, written directly, to the account’s', async () => {
    const { t, oldSiteUserId, organization, migrate } = await scene();
    await migrate();
    const [mapped] = await query<{ new_id: string; account_id: string }>(
      server.services.db,
      sql`select n.id as new_id, n.account_id from site_users o join site_users n on n.id = o.replaced_by
          where o.id = ${oldSiteUserId} and o.status = 'retired'`,
    );
    expect(mapped?.new_id).toBeTruthy();
    const db = server.services.db;
    const o = oldSiteUserId;
    const [req] = await query<{ id: number; reporter_id: string; raised_by_id: string; assignee_id: string }>(
      db,
      sql`insert into requests (org_id, site_id, service_desk_id, request_type_id, issue_key, summary, reporter_id,
            raised_by_id, assignee_id)
          values (${t.org.id}, ${t.site.id}, ${t.desk.id}, ${t.requestType.id}, ${`${t.desk.projectKey}-9999`}, 'x',
            ${o}, ${o}, ${o})
          returning id, reporter_id, raised_by_id, assignee_id`,
    );
    expect([req!.reporter_id, req!.raised_by_id, req!.assignee_id]).toEqual(Array(3).fill(mapped!.new_id));
    const moved = await query<{ author_id: string }>(
      db,
      sql`insert into request_comments (org_id, request_id, author_id, body) values (${t.org.id}, ${req!.id}, ${o}, 'hi')
          returning author_id`,
    );
    expect(moved[0]!.author_id).toBe(mapped!.new_id);
    for (const statement of [
      sql`insert into request_participants (org_id, request_id, site_user_id) values (${t.org.id}, ${req!.id}, ${o})
          on conflict do nothing`,
      sql`insert into customer_organization_members (org_id, customer_organization_id, site_user_id)
          values (${t.org.id}, ${organization.id}, ${o}) on conflict do nothing`,
      sql`insert into service_desk_customers (org_id, service_desk_id, site_user_id)
          values (${t.org.id}, ${t.desk.id}, ${o}) on conflict do nothing`,
    ]) {
      await db.execute(statement);
    }
    // An update that points an existing row at the old site user is redirected as well.
    await db.execute(sql`update requests set assignee_id = null where id = ${req!.id}`);
    await db.execute(sql`update requests set assignee_id = ${o} where id = ${req!.id}`);
    const [after] = await query<{ assignee_id: string }>(
      db,
      sql`select assignee_id from requests where id = ${req!.id}`,
    );
    expect(after!.assignee_id).toBe(mapped!.new_id);
    expect(await findInvariantViolations(db, t.org.id)).toEqual([]);
  });

  it('refuses (409) a retired site user with no replacement instead of committing the reference', async () => {
    const { t, oldSiteUserId } = await scene();
    await server.services.db.execute(
      sql`update site_users set status = 'retired' where id = ${oldSiteUserId}`,
    );
    const error = await server.services.db
      .execute(
        sql`insert into service_desk_customers (org_id, service_desk_id, site_user_id)
            values (${t.org.id}, ${t.desk.id}, ${oldSiteUserId}) on conflict do nothing`,
      )
      .catch((caught: unknown) => caught);
    const codes: unknown[] = [];
    for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
      codes.push(e.code);
    }
    // GU409 is what the error handler answers as 409 `migration.person_migrated`.
    expect(codes).toContain('GU409');
  });
});

describe('writes naming a customer after its migration', { timeout: SLOW }, () => {
  it('land on the account’s site user: request on behalf, participant, organization member, desk customer', async () => {
    const { t, customer, raise, migrate, organization, agent } = await scene();
    // Raised while the customer is still portal-only, then migrated: the request moves with the customer.
    const before = await raise(customer.id, 'Before');
    const result = await migrate();
    // Naming the migrated customer now answers 409 with the account to use instead.
    const refused = await raise(customer.id).catch((caught: unknown) => caught);
    expect(isAppError(refused, 'migration.person_migrated')).toBe(true);
    expect((refused as { status: number }).status).toBe(409);
    expect((refused as { data: { accountId: string } }).data.accountId).toBe(result.accountId);
    const after = await raise(result.accountId, 'After');
    await addRequestParticipants(
      { services: server.services, actor: agent, tenant: { site: t.site } },
      {
        issueIdOrKey: before.request.issueKey,
        accountIds: [result.accountId],
      },
    );
    await addOrganizationMembers(
      { services: server.services, actor: SYSTEM, tenant: { site: t.site } },
      {
        organizationId: organization.id,
        accountIds: [result.accountId],
      },
    );
    const [newSiteUser] = await query<{ id: string }>(
      server.services.db,
      sql`select id from site_users where site_id = ${t.site.id} and account_id = ${result.accountId}`,
    );
    const reporters = await query<{ reporter_id: string }>(
      server.services.db,
      sql`select reporter_id from requests where id in (${before.request.id}, ${after.request.id})`,
    );
    expect(reporters.map((r) => r.reporter_id)).toEqual([newSiteUser!.id, newSiteUser!.id]);
    expect(await findInvariantViolations(server.services.db, t.org.id)).toEqual([]);
  });
});

describe('a portal session resolved just before its customer migrates', { timeout: SLOW }, () => {
  it('reads its own request as "session ended" (401), never as a missing request (404)', async () => {
    const { t, customer, raise, migrate } = await scene();
    const { request } = await raise(customer.id, 'Mine');
    const actor: Actor = { type: 'customer', customerId: customer.id, orgId: t.org.id, siteId: t.site.id };
    // The session's first statement saw the customer active; the migration commits before its second.
    const viewer = await resolveDeskViewer(server.services.db, actor, t.site);
    expect(await getVisibleRequest(server.services.db, viewer, request.issueKey)).toMatchObject({
      id: request.id,
    });
    await migrate();
    const refused = await getVisibleRequest(server.services.db, viewer, request.issueKey).catch(
      (caught: unknown) => caught,
    );
    expect(isAppError(refused, 'auth.unauthenticated')).toBe(true);
    // A request that never was the customer's stays simply missing for an active customer.
    const stranger = await buildCustomer(server.services, { orgId: t.org.id, siteId: t.site.id });
    const strangerViewer = await resolveDeskViewer(
      server.services.db,
      { type: 'customer', customerId: stranger.customer.id, orgId: t.org.id, siteId: t.site.id },
      t.site,
    );
    const missing = await getVisibleRequest(server.services.db, strangerViewer, request.issueKey).catch(
      (caught: unknown) => caught,
    );
    expect(isAppError(missing, 'servicedesk.request_not_found')).toBe(true);
  });
});

// Two connections are needed to interleave a writer with a migration; PGlite has one (the trigger tests above
// show the redirect itself there).
describe.skipIf(!ON_PG)('interleavings on PostgreSQL (READ COMMITTED)', { timeout: SLOW }, () => {
  let holder: pg.Client;
  beforeAll(async () => {
    holder = new pg.Client({ connectionString: server.services.database.url });
    await holder.connect();
  });
  afterAll(() => holder.end());

  /** Waits until a backend of this database waits for a row lock (the step we want to interleave). */
  async function waitForLockWait(): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const { rows } = await holder.query(
        `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
      );
      if (rows[0].n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('nothing ever waited for a lock');
  }

  it('a request raised on behalf while the desk row is held commits on the account after the migration', async () => {
    const { t, customer, oldSiteUserId, raise, migrate } = await scene();
    // What a queue of request creations on one desk does: the desk row is held, the writer waits behind it.
    await holder.query('begin');
    await holder.query('select id from service_desks where id = $1 for no key update', [t.desk.id]);
    const raising = raise(customer.id, 'Queued behind the desk');
    await waitForLockWait();
    const result = await migrate();
    await holder.query('commit');
    const { request } = await raising;
    const db = server.services.db;
    const [newSiteUser] = await query<{ id: string }>(
      db,
      sql`select id from site_users where site_id = ${t.site.id} and account_id = ${result.accountId}`,
    );
    const [row] = await query<{ reporter_id: string }>(
      db,
      sql`select reporter_id from requests where id = ${request.id}`,
    );
    expect(row!.reporter_id).toBe(newSiteUser!.id);
    const deskCustomers = await query<{ site_user_id: string }>(
      db,
      sql`select site_user_id from service_desk_customers where service_desk_id = ${t.desk.id}
          and site_user_id in (${oldSiteUserId}, ${newSiteUser!.id})`,
    );
    expect(deskCustomers.map((d) => d.site_user_id)).toEqual([newSiteUser!.id]);
    expect(await findInvariantViolations(db, t.org.id)).toEqual([]);
  });

  it('a writer whose trigger ran first makes the migration wait, and its row is moved and counted', async () => {
    const { t, oldSiteUserId, raise, customer, migrate } = await scene();
    const { request } = await raise(customer.id);
    await holder.query('begin');
    await holder.query(
      'insert into request_comments (org_id, request_id, author_id, body) values ($1, $2, $3, $4)',
      [t.org.id, request.id, oldSiteUserId, 'Written before the migration locked the customer'],
    );
    const migrating = migrate();
    await waitForLockWait();
    await holder.query('commit');
    const result = await migrating;
    expect(result.counts.comments).toBe(1);
    expect(result.counts.requests).toBe(1);
    const [comment] = await query<{ author_id: string; new_id: string }>(
      server.services.db,
      sql`select c.author_id, o.replaced_by as new_id from request_comments c, site_users o
          where c.request_id = ${request.id} and o.id = ${oldSiteUserId}`,
    );
    expect(comment!.author_id).toBe(comment!.new_id);
    expect(await findInvariantViolations(server.services.db, t.org.id)).toEqual([]);
  });
});
