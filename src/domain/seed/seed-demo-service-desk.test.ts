import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listApiKeys } from '#src/db/queries/directory/api-keys.queries.ts';
import { findOrganizationByName } from '#src/db/queries/directory/organizations.queries.ts';
import { findSiteByName } from '#src/db/queries/directory/sites.queries.ts';
import { listCustomerSiteUsers } from '#src/db/queries/servicedesk/seed.queries.ts';
import { requestComments, requestParticipants, requests, serviceDeskAgents } from '#src/db/schema/index.ts';
import { listRequests } from '#src/domain/servicedesk/list-requests.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { seedDemo } from './seed-demo.ts';
import { SHOWCASE_EMAIL, SHOWCASE_REQUESTS } from './seed-demo-service-desk.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
  await seedDemo(server.services);
}, 120_000);
afterAll(() => server.close());

describe('demo service desk seed', () => {
  it('gives the showcase customer on acme 1,000 requests she can list, 50 a page', async () => {
    const { db } = server.services;
    const site = (await findSiteByName(db, 'acme'))!;
    const ada = (await listCustomerSiteUsers(db, site.id)).find((c) => c.email === SHOWCASE_EMAIL);
    const [owned] = await db
      .select({ n: count() })
      .from(requests)
      .where(eq(requests.reporterId, ada!.siteUserId));
    expect(Number(owned!.n)).toBe(SHOWCASE_REQUESTS);
    const page = await listRequests(
      {
        services: server.services,
        actor: { type: 'customer', customerId: ada!.customerId, orgId: site.orgId, siteId: site.id },
        tenant: { site },
      },
      { requestOwnership: ['OWNED_REQUESTS'], start: 0, limit: 50 },
    );
    expect(page.requests).toHaveLength(51);
    expect(new Set(page.requests.map((r) => r.issueKey)).size).toBe(51);
  });

  it('has public and internal comments, participants, agents and requests of the twin customer', async () => {
    const { db } = server.services;
    const site = (await findSiteByName(db, 'acme'))!;
    const [internal] = await db
      .select({ n: count() })
      .from(requestComments)
      .where(eq(requestComments.isPublic, false));
    const [pub] = await db
      .select({ n: count() })
      .from(requestComments)
      .where(eq(requestComments.isPublic, true));
    expect(Number(internal!.n)).toBeGreaterThan(0);
    expect(Number(pub!.n)).toBeGreaterThan(Number(internal!.n));
    const [participants] = await db.select({ n: count() }).from(requestParticipants);
    expect(Number(participants!.n)).toBeGreaterThan(0);
    const [agents] = await db.select({ n: count() }).from(serviceDeskAgents);
    expect(Number(agents!.n)).toBe(4);
    const twin = (await listCustomerSiteUsers(db, site.id)).find(
      (c) => c.email === 'twin@acme-customers.example',
    );
    const [twinRequests] = await db
      .select({ n: count() })
      .from(requests)
      .where(eq(requests.reporterId, twin!.siteUserId));
    expect(Number(twinRequests!.n)).toBeGreaterThan(0);
    const keys = await db
      .select({ key: requests.issueKey })
      .from(requests)
      .where(eq(requests.siteId, site.id));
    expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
  });

  it('a second seed with another DATA_DIR (a shared PostgreSQL) finds the demo and mints no second key', async () => {
    const { db } = server.services;
    const acme = (await findOrganizationByName(db, 'Acme'))!;
    const before = await listApiKeys(db, acme.id);
    const other = {
      ...server.services,
      config: { ...server.services.config, DATA_DIR: mkdtempSync(join(tmpdir(), 'gh-demo-')) },
    };
    const again = await seedDemo(other);
    expect(again.created).toBe(false);
    expect(await listApiKeys(db, acme.id)).toHaveLength(before.length);
    expect(again.bannerLines.join('\n')).toContain('npx gatehouse api-key create --org Acme');
    expect(existsSync(join(other.config.DATA_DIR, 'demo-api-key'))).toBe(false);
  });
});
