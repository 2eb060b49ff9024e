import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '#src/db/schema/index.ts';
import { verifyAuditChains } from '#src/domain/audit/verify-all-chains.ts';
import { loginAs } from '#src/test/factories/accounts.ts';
import { buildAccount, buildBasicAuth, buildTenant, TEST_PASSWORD } from '#src/test/factories/directory.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

interface EventItem {
  id: string;
  attributes: {
    action: string;
    actor: { id: string | null };
    context: Array<{ id: string }>;
    location: { ip: string | null };
    seq: number;
  };
}

describe('GET /admin/v1/orgs/{orgId}/events/{eventId}', () => {
  it('answers a listed event at its links.self; 404 for another org’s key and a missing id', async () => {
    const { org, apiKey } = await buildTenant(server.services);
    const page = await (
      await server.request('GET', `/admin/v1/orgs/${org.id}/events?limit=1`, { headers: bearer(apiKey) })
    ).json();
    const [event] = page.data;
    const one = await server.request('GET', event.links.self, { headers: bearer(apiKey) });
    expect(one.status).toBe(200);
    expect((await one.json()).data).toEqual(event);
    const other = await buildTenant(server.services);
    expect((await server.request('GET', event.links.self, { headers: bearer(other.apiKey) })).status).toBe(
      404,
    );
    const missing = await server.request('GET', `/admin/v1/orgs/${org.id}/events/999999999`, {
      headers: bearer(apiKey),
    });
    expect(missing.status).toBe(404);
    expect((await missing.json()).errors[0]).toMatchObject({
      code: 'ADMIN-404-4',
      meta: { code: 'audit.event_not_found' },
    });
  });
});

describe('GET /admin/v1/orgs/{orgId}/events', () => {
  it('lists auth events with actor, target and IP, newest first, filtered by action and target', async () => {
    const { org, apiKey } = await buildTenant(server.services);
    const member = await buildAccount(server.services, { orgId: org.id });
    await server.request('POST', '/rest/auth/1/login', {
      body: { email: member.email, password: 'definitely wrong pw' },
      headers: { 'x-forwarded-for': '192.0.2.10' },
    });
    await loginAs(server, member.email, TEST_PASSWORD, { ip: '192.0.2.11' });

    const response = await server.request(
      'GET',
      `/admin/v1/orgs/${org.id}/events?target=${member.id}&action=auth.login_failed`,
      { headers: bearer(apiKey) },
    );
    expect(response.status).toBe(200);
    const page = (await response.json()) as { data: EventItem[] };
    expect(page.data).toHaveLength(1);
    expect(page.data[0]!.attributes).toMatchObject({
      action: 'auth.login_failed',
      context: [{ type: 'account', id: member.id }],
      location: { ip: '192.0.2.10' },
    });
    const all = (await (
      await server.request('GET', `/admin/v1/orgs/${org.id}/events?target=${member.id}`, {
        headers: bearer(apiKey),
      })
    ).json()) as { data: EventItem[] };
    expect(all.data.map((e) => e.attributes.action).slice(0, 2)).toEqual([
      'auth.login_succeeded',
      'auth.login_failed',
    ]);
  });

  it('pages with links.next until every event is seen once', async () => {
    const { org, apiKey } = await buildTenant(server.services);
    for (let i = 0; i < 4; i++) await buildAccount(server.services, { orgId: org.id });
    const [{ n }] = (await server.services.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvents)
      .where(eq(auditEvents.orgId, org.id))) as [{ n: number }];
    const seen: number[] = [];
    let next: string | undefined = `/admin/v1/orgs/${org.id}/events?limit=3`;
    while (next) {
      const response = await server.request('GET', next, { headers: bearer(apiKey) });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { data: EventItem[]; links: { next?: string } };
      seen.push(...page.data.map((e) => e.attributes.seq));
      next = page.links.next;
    }
    expect(seen).toHaveLength(Number(n));
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });

  it('answers 401 anonymous, 403 for a member, 404 for another org, 400 for a bad filter', async () => {
    const mine = await buildTenant(server.services);
    const theirs = await buildTenant(server.services);
    const path = `/admin/v1/orgs/${mine.org.id}/events`;
    expect((await server.request('GET', path)).status).toBe(401);
    const member = await buildAccount(server.services, { orgId: mine.org.id });
    const forbidden = await server.request('GET', path, {
      headers: await buildBasicAuth(server.services, member),
    });
    expect(forbidden.status).toBe(403);
    const admin = await server.request('GET', path, {
      headers: await buildBasicAuth(server.services, mine.admin),
    });
    expect(admin.status).toBe(200);
    const other = await server.request('GET', `/admin/v1/orgs/${theirs.org.id}/events`, {
      headers: bearer(mine.apiKey),
    });
    expect(other.status).toBe(404);
    const bad = await server.request('GET', `${path}?from=yesterday`, { headers: bearer(mine.apiKey) });
    expect(bad.status).toBe(400);
  });
});

describe('audit chain verification', () => {
  it('reports the first broken link after a row is tampered with in SQL', async () => {
    const { org } = await buildTenant(server.services);
    for (let i = 0; i < 3; i++) await buildAccount(server.services, { orgId: org.id });
    const [before] = await verifyAuditChains(server.services.db, org.id);
    expect(before!.verdict).toMatchObject({ ok: true });
    const events = before!.verdict.events;
    expect(events).toBeGreaterThanOrEqual(5);
    await server.services.db.execute(
      sql`update audit_events set data = '{"email":"forged@example.test"}'::jsonb where org_id = ${org.id} and seq = 3`,
    );
    const [after] = await verifyAuditChains(server.services.db, org.id);
    expect(after!.verdict).toEqual({ ok: false, events: 2, brokenAtSeq: 3, reason: 'hash_mismatch' });
    const everything = await verifyAuditChains(server.services.db);
    expect(everything.find((r) => r.orgId === org.id)?.verdict.ok).toBe(false);
  });

  it('reports a deleted row as a gap', async () => {
    const { org } = await buildTenant(server.services);
    await buildAccount(server.services, { orgId: org.id });
    await server.services.db.execute(sql`delete from audit_events where org_id = ${org.id} and seq = 2`);
    const [result] = await verifyAuditChains(server.services.db, org.id);
    expect(result!.verdict).toMatchObject({ ok: false, brokenAtSeq: 2, reason: 'gap' });
  });
});

describe('audit chain head', () => {
  it('reports a deleted last row, which leaves no gap behind it', async () => {
    const { org } = await buildTenant(server.services);
    await buildAccount(server.services, { orgId: org.id });
    const [before] = await verifyAuditChains(server.services.db, org.id);
    const last = before!.verdict.events;
    await server.services.db.execute(
      sql`delete from audit_events where org_id = ${org.id} and seq = ${last}`,
    );
    const [result] = await verifyAuditChains(server.services.db, org.id);
    expect(result!.verdict).toMatchObject({ ok: false, brokenAtSeq: last, reason: 'gap' });
  });

  it('chains events written side by side in one org without a gap or a fork', async () => {
    const { org } = await buildTenant(server.services);
    await Promise.all(
      Array.from({ length: 6 }, () => buildAccount(server.services, { orgId: org.id, password: null })),
    );
    const [result] = await verifyAuditChains(server.services.db, org.id);
    expect(result!.verdict).toMatchObject({ ok: true });
    expect(result!.verdict.events).toBeGreaterThanOrEqual(8);
  });
});
