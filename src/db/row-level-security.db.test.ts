import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSiteByName } from '#src/db/queries/directory/sites.queries.ts';
import { serviceDesks, sites } from '#src/db/schema/index.ts';
import { createRequest } from '#src/domain/servicedesk/create-request.ts';
import { buildCustomer } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildDeskTenant } from '#src/test/factories/servicedesk.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { APP_ROLE } from './app-role.ts';
import type { Executor } from './client.ts';
import { asNobody, asSystem, withTenant } from './tenant-scope.ts';

let server: TestServer;
let tenants: Array<Awaited<ReturnType<typeof buildWorld>>>;

/** One tenant with a desk, a request and a portal customer: rows in the tables the unscoped queries read. */
async function buildWorld() {
  const services = server.services;
  const t = await buildDeskTenant(services, { access: 'open' });
  const reporter = await buildDeskCustomer(services, t.site, t.desk.id);
  await buildCustomer(services, { orgId: t.org.id, siteId: t.site.id });
  await createRequest(
    { services, actor: reporter.actor, tenant: { site: t.site } },
    {
      serviceDeskId: t.desk.id,
      requestTypeId: t.requestType.id,
      summary: 'Printer on fire',
    },
  );
  return t;
}

beforeAll(async () => {
  server = await createTestServer({ workers: false });
  tenants = [await buildWorld(), await buildWorld()];
});
afterAll(() => server.close());

/** The database's own message of a failed query (Drizzle wraps it in a "Failed query" error). */
async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return String((error as { cause?: Error }).cause?.message ?? (error as Error).message);
  }
  return 'not refused';
}

const rows = async <T>(db: Executor, query: ReturnType<typeof sql>) =>
  ((await db.execute(query)) as unknown as { rows: T[] }).rows;

/** The org ids of every row a deliberately unscoped query returns, per table. */
async function orgsSeen(db: Executor): Promise<Record<string, string[]>> {
  const seen: Record<string, string[]> = {};
  for (const table of ['service_desks', 'requests', 'portal_customers', 'site_users', 'sites']) {
    const found = await rows<{ org_id: string }>(db, sql.raw(`select distinct org_id from ${table}`));
    seen[table] = found.map((row) => row.org_id);
  }
  return seen;
}

describe('row-level security (the second line of tenancy)', () => {
  it('runs the app as a role that is no superuser, owns no table and cannot switch RLS off', async () => {
    const db = server.services.db;
    const [role] = await rows<{ current_user: string; rolsuper: boolean; rolbypassrls: boolean }>(
      db,
      sql`select current_user, rolsuper, rolbypassrls from pg_roles where rolname = current_user`,
    );
    expect(role).toEqual({ current_user: APP_ROLE, rolsuper: false, rolbypassrls: false });
    const [membership] = await rows<{ superuser_member: boolean }>(
      db,
      sql`select pg_has_role(current_user, 'postgres', 'MEMBER') as superuser_member`,
    );
    expect(membership?.superuser_member).toBe(false);
    for (const statement of [
      'alter table requests disable row level security',
      'alter table requests no force row level security',
      'drop policy tenant_isolation on requests',
    ]) {
      expect(await refusal(db.execute(sql.raw(statement)))).toMatch(/must be (the )?owner/);
    }
    // row_security = off does not bypass: a query that policies would filter fails instead.
    const withoutRowSecurity = db.transaction(async (tx) => {
      await tx.execute(sql`set local row_security = off`);
      await tx.execute(sql`select count(*) from requests`);
    });
    expect(await refusal(withoutRowSecurity)).toMatch(/row-level security/);
  });

  it('forces RLS with the tenant policy on every table that carries org_id', async () => {
    const tables = await rows<{ table_name: string; rls: boolean; forced: boolean; policies: number }>(
      server.services.db,
      sql`select c.table_name, k.relrowsecurity as rls, k.relforcerowsecurity as forced,
                 (select count(*)::int from pg_policies p where p.tablename = c.table_name and p.policyname = 'tenant_isolation') as policies
          from information_schema.columns c
          join pg_class k on k.relname = c.table_name and k.relnamespace = 'public'::regnamespace and k.relkind = 'r'
          where c.table_schema = 'public' and c.column_name = 'org_id' order by 1`,
    );
    expect(tables.length).toBeGreaterThan(20);
    expect(tables.filter((t) => !(t.rls && t.forced && t.policies === 1)).map((t) => t.table_name)).toEqual(
      [],
    );
  });

  it.each([
    ['outside a transaction', false],
    ['inside a transaction', true],
  ])('an unscoped query in tenant A’s scope returns only tenant A’s rows (%s)', async (_, inTransaction) => {
    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
    const seen = await withTenant(a.org.id, () =>
      inTransaction ? server.services.db.transaction((tx) => orgsSeen(tx)) : orgsSeen(server.services.db),
    );
    for (const table of Object.keys(seen))
      expect({ table, orgs: seen[table] }).toEqual({ table, orgs: [a.org.id] });
    // The system sees both tenants; nobody sees nothing.
    const all = await asSystem(() => orgsSeen(server.services.db));
    expect(all.requests).toEqual(expect.arrayContaining([a.org.id, b.org.id]));
    const none = await asNobody(() => orgsSeen(server.services.db));
    expect(Object.values(none).flat()).toEqual([]);
  });

  it.each([
    ['outside a transaction', false],
    ['inside a transaction', true],
  ])('a prepared statement serves every tenant, each seeing only its rows (%s)', async (_, inTransaction) => {
    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
    const db = server.services.db;
    // Long enough, and with parameters, to be prepared (`PreparedStatements`); the same text in every scope.
    const probe = (executor: Executor) =>
      rows<{ org_id: string }>(
        executor,
        sql`select distinct r.org_id /* prepared-rls-probe */ from requests r
          join service_desks d on d.id = r.service_desk_id and d.org_id = r.org_id
          join sites s on s.id = r.site_id and s.org_id = r.org_id
          where r.summary <> ${'no such summary'} and d.project_key <> ${'NOKEY'} and s.name <> ${'no-such-site'}
          order by r.org_id`,
      );
    const run = () => (inTransaction ? db.transaction((tx) => probe(tx)) : probe(db));
    for (const tenant of [a, b, a, b]) {
      const seen = await withTenant(tenant.org.id, run);
      expect(seen.map((r) => r.org_id)).toEqual([tenant.org.id]);
    }
    const all = await asSystem(run);
    expect(all.map((r) => r.org_id)).toEqual(expect.arrayContaining([a.org.id, b.org.id]));
    expect(await asNobody(run)).toEqual([]);
    // It did run as a prepared statement (on the connection the transaction holds; PGlite prepares only there).
    const prepared = await withTenant(a.org.id, () =>
      db.transaction(async (tx) => {
        await probe(tx);
        return rows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from pg_prepared_statements where statement like ${'%prepared-rls-probe%'}`,
        );
      }),
    );
    expect(prepared[0]?.n).toBe(1);
  });

  it('a statement built once serves every tenant and every transaction, each in its own scope', async () => {
    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
    const db = server.services.db;
    // Built at its first call, in tenant A's scope; the scope is the caller's at each call, not the builder's.
    for (const tenant of [a, b, a]) {
      expect((await withTenant(tenant.org.id, () => findSiteByName(db, a.site.name)))?.id).toBe(
        tenant === a ? a.site.id : undefined,
      );
    }
    expect((await asSystem(() => findSiteByName(db, b.site.name)))?.id).toBe(b.site.id);
    expect(await asNobody(() => findSiteByName(db, a.site.name))).toBeUndefined();
    // A transaction gets its own, run on the transaction's connection: it sees the transaction's uncommitted row.
    const renamed = `${a.site.name}-renamed`;
    const seenInside = await withTenant(a.org.id, () =>
      db.transaction(async (tx) => {
        await tx.update(sites).set({ name: renamed }).where(eq(sites.id, a.site.id));
        const found = await findSiteByName(tx, renamed);
        await tx.update(sites).set({ name: a.site.name }).where(eq(sites.id, a.site.id));
        return found?.id;
      }),
    );
    expect(seenInside).toBe(a.site.id);
    expect(await asSystem(() => findSiteByName(db, renamed))).toBeUndefined();
  });

  it('refuses to write a row of another org from a tenant’s scope (WITH CHECK), and cannot touch its rows', async () => {
    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
    const db = server.services.db;
    const insert = withTenant(a.org.id, () =>
      db.transaction((tx) =>
        tx.insert(serviceDesks).values({
          orgId: b.org.id,
          siteId: b.site.id,
          projectId: 999,
          projectKey: 'RLSP',
          projectName: 'Probe',
          portalName: 'Probe',
        }),
      ),
    );
    expect(await refusal(insert)).toMatch(/violates row-level security policy/);
    // Moving one of A's rows to B is refused too; updating or deleting B's rows finds nothing to change.
    const move = withTenant(a.org.id, () => db.execute(sql`update service_desks set org_id = ${b.org.id}`));
    expect(await refusal(move)).toMatch(/violates row-level security policy/);
    const deleted = await withTenant(a.org.id, () =>
      db.execute(sql`delete from service_desks where org_id = ${b.org.id} returning id`),
    );
    expect((deleted as unknown as { rows: unknown[] }).rows).toEqual([]);
    const stillThere = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from service_desks where org_id = ${b.org.id}`,
    );
    expect(stillThere[0]?.n).toBe(1);
  });

  it('keeps a transaction in the scope it started in, and follows a nested scope inside it', async () => {
    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
    const seen = await withTenant(a.org.id, () =>
      server.services.db.transaction(async (tx) => {
        const own = await orgsSeen(tx);
        const nested = await withTenant(b.org.id, () => orgsSeen(tx));
        const after = await orgsSeen(tx);
        return { own: own.requests, nested: nested.requests, after: after.requests };
      }),
    );
    expect(seen).toEqual({ own: [a.org.id], nested: [b.org.id], after: [a.org.id] });
  });

  it('serves reads sent side by side in one transaction, each in its own scope, one at a time', async () => {
    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const seen = await withTenant(a.org.id, () =>
        server.services.db.transaction((tx) =>
          Promise.all([orgsSeen(tx), withTenant(b.org.id, () => orgsSeen(tx)), orgsSeen(tx)]),
        ),
      );
      expect(seen.map((s) => s.requests)).toEqual([[a.org.id], [b.org.id], [a.org.id]]);
      await new Promise((resolve) => setImmediate(resolve));
      // pg warns (and pg@9 will refuse) when a query is sent on a client that is still running one.
      expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
