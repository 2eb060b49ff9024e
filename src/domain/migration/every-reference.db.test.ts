import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '#src/db/client.ts';
import { rowsOf } from '#src/db/queries/raw-rows.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { buildCustomerWithHistory, buildMigrationTenant } from '#src/test/factories/migration.ts';
import { findInvariantViolations } from '#src/test/helpers/invariants.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { runMigrationTask } from './run-migration-task.ts';
import { startMigration } from './start-migration.ts';

/**
 * Generated from the catalog: every foreign key to `site_users` (found through `pg_constraint`, so a table added
 * later is covered without editing this test) holds a row naming the customer before the migration, and after it
 * the same number of rows name the new site user and none the old one. Run twice: a history below the chunk
 * size (moved in the finishing transaction) and one above it (moved in chunks first).
 */

// Chunks of 10 rows: 3 requests move in the finishing transaction, 30 first in chunks.
const CHUNK = 10;
/** A loaded machine can take minutes; the limit only catches a hang. */
const SLOW = 180_000;
/** Columns no portal-only customer can be named in, so no migration meets them: desk agents are accounts. */
const NOT_A_CUSTOMER_REFERENCE = new Set(['service_desk_agents.site_user_id']);

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false, env: { MIGRATION_CHUNK_ROWS: String(CHUNK) } });
}, 120_000);
afterAll(() => server.close());

/** Every foreign-key column to `site_users` but its own `replaced_by`, as `table.column`. */
async function siteUserReferences(db: Executor): Promise<string[]> {
  const refs = rowsOf<{ ref: string }>(
    await db.execute(sql`
      select c.conrelid::regclass::text || '.' || a.attname as ref
      from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
      where c.contype = 'f' and c.confrelid = 'site_users'::regclass and c.conrelid <> c.confrelid
      order by 1`),
  );
  return refs.map((r) => r.ref).filter((ref) => !NOT_A_CUSTOMER_REFERENCE.has(ref));
}

/** How many rows of each referencing column name the site user. */
async function referencesTo(db: Executor, siteUserId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const ref of await siteUserReferences(db)) {
    const [table, column] = ref.split('.');
    const [row] = rowsOf<{ n: number }>(
      await db.execute(
        sql`select count(*)::int as n from ${sql.identifier(table!)} where ${sql.identifier(column!)} = ${siteUserId}`,
      ),
    );
    counts[ref] = row!.n;
  }
  return counts;
}

async function newSiteUserOf(db: Executor, oldSiteUserId: string): Promise<string> {
  const [row] = rowsOf<{ replaced_by: string }>(
    await db.execute(sql`select replaced_by from site_users where id = ${oldSiteUserId}`),
  );
  return row!.replaced_by;
}

describe('a migration moves every kind of reference to the customer', { timeout: SLOW }, () => {
  for (const { mode, requests } of [
    { mode: 'in the finishing transaction', requests: 3 },
    { mode: 'in chunks', requests: 30 },
  ]) {
    it(`moves them all ${mode}`, async () => {
      const { db } = server.services;
      const t = await buildMigrationTenant(server.services);
      const { customer, siteUser } = await buildCustomerWithHistory(server.services, t, {
        requests,
        commentsPerRequest: 1,
        participantsPerRequest: 1,
        approvals: true,
        activity: true,
      });
      // The customer raising a request for someone else, and named as its assignee: columns the history leaves
      // to the agent.
      await db.execute(sql`
        insert into requests (org_id, site_id, service_desk_id, request_type_id, issue_key, summary, reporter_id,
          raised_by_id, assignee_id)
        values (${t.org.id}, ${t.site.id}, ${t.desk.serviceDeskId}, ${t.desk.requestTypeId},
          ${`${t.desk.projectKey}-X1`}, 'For a colleague', ${t.agentSiteUserId}, ${siteUser.id}, ${siteUser.id})`);

      const before = await referencesTo(db, siteUser.id);
      const uncovered = Object.entries(before).filter(([, n]) => n === 0);
      expect(uncovered, 'give the scene a row in each new referencing column').toEqual([]);

      const { task } = await startMigration(
        { services: server.services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
        { customerIds: [customer.id] },
      );
      expect(await runMigrationTask(server.services, task.id)).toBe('success');

      const movedTo = await newSiteUserOf(db, siteUser.id);
      expect(movedTo).toBeTruthy();
      expect(await referencesTo(db, movedTo)).toEqual(before);
      const left = Object.entries(await referencesTo(db, siteUser.id)).filter(([, n]) => n > 0);
      expect(left).toEqual([]);
      expect(await findInvariantViolations(db, t.org.id)).toEqual([]);
    });
  }
});
