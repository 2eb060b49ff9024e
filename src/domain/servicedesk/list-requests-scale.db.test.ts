/**
 * A customer's request list on a big site reads the customer's own rows, not the site's: the plan is driven from
 * the person's references (reporter, raiser, participant, organization, approver), so the rows the database
 * touches do not grow with the site. Asserted on the plan's row counts (EXPLAIN ANALYZE), never on time.
 */
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLiteral } from '#src/db/inline-params.ts';
import { rowsOf } from '#src/db/queries/raw-rows.ts';
import { requests } from '#src/db/schema/index.ts';
import { listRequests } from '#src/domain/servicedesk/list-requests.ts';
import {
  isPartyTo,
  requestListCondition,
  visibleRequestCondition,
  visibleRequestsCondition,
} from '#src/domain/servicedesk/request-visibility.ts';
import { buildCustomerWithHistory, buildMigrationTenant } from '#src/test/factories/migration.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

const SITE_REQUESTS = 20_000;

let server: TestServer;
let tenant: Awaited<ReturnType<typeof buildMigrationTenant>>;
let me: Awaited<ReturnType<typeof buildCustomerWithHistory>>;
let busy: Awaited<ReturnType<typeof buildCustomerWithHistory>>;
beforeAll(async () => {
  server = await createTestServer({ workers: false, audit: false });
  tenant = await buildMigrationTenant(server.services);
  // Somebody else's busy history fills the site; mine is five requests among them.
  busy = await buildCustomerWithHistory(server.services, tenant, {
    requests: SITE_REQUESTS,
    commentsPerRequest: 0,
    participantsPerRequest: 1,
    approvals: false,
  });
  me = await buildCustomerWithHistory(server.services, tenant, { requests: 5 });
  await server.services.db.execute(sql`analyze`);
}, 120_000);
afterAll(() => server.close());

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows the plan read from `requests` (returned or filtered away), over every node and loop. */
function requestRowsTouched(node: PlanNode): number {
  const own =
    node['Relation Name'] === 'requests'
      ? ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1) +
        (node['Rows Removed by Index Recheck'] ?? 0)
      : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + requestRowsTouched(child), 0);
}

const viewerOf = (siteUserId: string) => ({
  role: 'customer' as const,
  site: tenant.site,
  siteUserId,
  migratingFrom: undefined,
});

/**
 * Rows of `requests` touched by a page (or a lookup) of the requests matching `where`, with the generic plan of the
 * statement prepared (`PreparedStatements`), as the app may run it on PostgreSQL.
 */
async function rowsTouched(where: SQL, limit = 51): Promise<number> {
  const page = server.services.db
    .select({ id: requests.id })
    .from(requests)
    .where(where)
    .orderBy(desc(requests.updatedAt), desc(requests.id))
    .limit(limit)
    .toSQL();
  // One connection for the three statements (a transaction holds it).
  const result = await server.services.db.transaction(async (tx) => {
    // The generic plan, which PostgreSQL keeps for a prepared statement after five executions when it looks no
    // costlier than the custom ones.
    await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
    await tx.execute(sql.raw(`prepare rows_touched as ${page.sql}`));
    const explained = await tx.execute(
      sql.raw(
        `explain (analyze, format json) execute rows_touched(${page.params.map(toLiteral).join(', ')})`,
      ),
    );
    await tx.execute(sql`deallocate rows_touched`);
    return explained;
  });
  const [row] = rowsOf<Record<string, unknown>>(result);
  const plan = Object.values(row!)[0];
  const [top] = (typeof plan === 'string' ? JSON.parse(plan) : plan) as Array<{ Plan: PlanNode }>;
  return requestRowsTouched(top!.Plan);
}

describe('a customer request list on a big site', () => {
  it('answers with exactly my requests', async () => {
    const { requests: page } = await listRequests(
      {
        services: server.services,
        actor: { type: 'customer', customerId: me.customer.id, orgId: tenant.org.id, siteId: tenant.site.id },
        tenant: { site: tenant.site },
      },
      { start: 0, limit: 50 },
    );
    expect(page).toHaveLength(5);
    expect(new Set(page.map((r) => r.reporterId))).toEqual(new Set([me.siteUser.id]));
  });

  it.each([
    ['everything visible (the default)', []],
    ['OWNED_REQUESTS', ['OWNED_REQUESTS']],
    ['PARTICIPATED_REQUESTS + APPROVER', ['PARTICIPATED_REQUESTS', 'APPROVER']],
    ['ALL_ORGANIZATIONS', ['ALL_ORGANIZATIONS']],
  ] as const)('%s: reads my rows, not the site’s', async (_, ownership) => {
    const touched = await rowsTouched(requestListCondition(viewerOf(me.siteUser.id), [...ownership]));
    // Five requests of mine, each reachable through a few references; a plan that walks the site reads 20,000.
    expect(touched).toBeLessThan(200);
  });

  it('the busy customer opening one request reads that request, not its 20,000', async () => {
    const [one] = await server.services.db
      .select({ id: requests.id })
      .from(requests)
      .where(eq(requests.reporterId, busy.siteUser.id))
      .limit(1);
    const where = and(visibleRequestCondition(viewerOf(busy.siteUser.id)), eq(requests.id, one!.id))!;
    expect(await rowsTouched(where, 1)).toBeLessThan(20);
  });

  it('whether I may look the busy customer up reads my requests, not theirs', async () => {
    const where = and(visibleRequestsCondition(viewerOf(me.siteUser.id)), isPartyTo(busy.siteUser.id))!;
    expect(await rowsTouched(where, 1)).toBeLessThan(200);
  });
});
