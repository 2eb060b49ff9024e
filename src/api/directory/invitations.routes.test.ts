import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrgMembership } from '#src/db/queries/directory/org-memberships.queries.ts';
import {
  buildAccount,
  buildBasicAuth,
  buildSite,
  buildTenant,
  TEST_PASSWORD,
} from '#src/test/factories/directory.ts';
import { extractToken, lastMailTo } from '#src/test/helpers/outbox.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

describe('invitations', () => {
  it('invites a new person, who signs up through the single-use link and gets the product access', async () => {
    const t = await buildTenant(server.services);
    const email = `new-${Date.now()}@invited.test`;
    const invite = await server.request('POST', `/admin/v2/orgs/${t.org.id}/users/invite`, {
      headers: bearer(t.apiKey),
      body: { emails: [email, email.toUpperCase()], productAccess: [{ productId: t.jsm.id, role: 'user' }] },
    });
    expect(invite.status).toBe(200);
    const { data } = await invite.json();
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ email, status: 'invited', existingAccount: false });
    const days = (Date.parse(data[0].expiresAt) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(30);

    const token = extractToken(await lastMailTo(server.services, email, 'invitation'));
    expect(token.length).toBeGreaterThanOrEqual(43);
    const missing = await server.request('POST', '/rest/auth/1/invitations/accept', { body: { token } });
    expect(missing.status).toBe(400);
    expect((await missing.json()).code).toBe('request.invalid_input');

    const accepted = await server.request('POST', '/rest/auth/1/invitations/accept', {
      body: { token, name: 'New Person', password: 'a long enough passphrase' },
    });
    expect(accepted.status).toBe(200);
    const result = await accepted.json();
    expect(result).toMatchObject({ orgId: t.org.id, created: true, skippedProductAccess: [] });
    const detail = await (
      await server.request('GET', `/admin/v1/orgs/${t.org.id}/directory/users/${result.accountId}`, {
        headers: bearer(t.apiKey),
      })
    ).json();
    expect(detail.data).toMatchObject({ email, email_verified: true, membership_status: 'active' });
    expect(detail.data.product_access.map((p: { role: string }) => p.role)).toEqual(['user']);

    const reused = await server.request('POST', '/rest/auth/1/invitations/accept', {
      body: { token, name: 'Again', password: 'a long enough passphrase' },
    });
    expect(reused.status).toBe(400);
    expect((await reused.json()).code).toBe('auth.token_used');
    const bogus = await server.request('POST', '/rest/auth/1/invitations/accept', {
      body: { token: 'x'.repeat(43) },
    });
    expect((await bogus.json()).code).toBe('auth.token_invalid');
  });

  it('links an existing account (which keeps its password); members are reported, not re-invited', async () => {
    const t = await buildTenant(server.services);
    const elsewhere = await buildAccount(server.services);
    const member = await buildAccount(server.services, { orgId: t.org.id });
    const invite = await server.request('POST', `/admin/v2/orgs/${t.org.id}/users/invite`, {
      headers: bearer(t.apiKey),
      body: { emails: [elsewhere.email, member.email] },
    });
    const { data } = await invite.json();
    expect(data.map((r: { status: string }) => r.status)).toEqual(['invited', 'already_member']);
    const token = extractToken(await lastMailTo(server.services, elsewhere.email, 'invitation'));
    const accepted = await (
      await server.request('POST', '/rest/auth/1/invitations/accept', {
        body: { token, password: 'ignored for links!' },
      })
    ).json();
    expect(accepted).toMatchObject({ accountId: elsewhere.id, created: false });
    expect(await findOrgMembership(server.services.db, t.org.id, elsewhere.id)).toBeDefined();
    const hash = (await server.services.db.query.accounts.findFirst({
      where: (a, { eq }) => eq(a.id, elsewhere.id),
    }))!.passwordHash!;
    expect(await server.services.passwords.verify(hash, TEST_PASSWORD)).toBe(true);
  });

  it('expired invitations change nothing', async () => {
    const t = await buildTenant(server.services);
    const email = `late-${Date.now()}@invited.test`;
    await server.request('POST', `/admin/v2/orgs/${t.org.id}/users/invite`, {
      headers: bearer(t.apiKey),
      body: { emails: [email] },
    });
    const token = extractToken(await lastMailTo(server.services, email, 'invitation'));
    const { authTokens } = await import('#src/db/schema/index.ts');
    const { sql } = await import('drizzle-orm');
    await server.services.db
      .update(authTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(sql`lower(${authTokens.email}) = lower(${email})`);
    const late = await server.request('POST', '/rest/auth/1/invitations/accept', {
      body: { token, name: 'Late', password: 'a long enough passphrase' },
    });
    expect(late.status).toBe(400);
    expect((await late.json()).code).toBe('auth.token_expired');
    const account = await server.services.db.query.accounts.findFirst({
      where: (a, { sql: raw }) => raw`lower(${a.email}) = lower(${email})`,
    });
    expect(account).toBeUndefined();
  });

  it('answers 401, 403 (members; centralized site admins), 404 across tenants; original site admins invite to their site', async () => {
    const t = await buildTenant(server.services);
    const other = await buildTenant(server.services);
    const path = `/admin/v2/orgs/${t.org.id}/users/invite`;
    const body = { emails: ['someone@invited.test'] };
    expect((await server.request('POST', path, { body })).status).toBe(401);
    const member = await buildAccount(server.services, { orgId: t.org.id });
    expect(
      (await server.request('POST', path, { body, headers: await buildBasicAuth(server.services, member) }))
        .status,
    ).toBe(403);
    const siteAdmin = await buildAccount(server.services, { orgId: t.org.id, siteAdminOf: [t.site.id] });
    const siteAdminAuth = await buildBasicAuth(server.services, siteAdmin);
    expect(
      (await server.request('POST', path, { body: { ...body, siteId: t.site.id }, headers: siteAdminAuth }))
        .status,
    ).toBe(403);
    expect((await server.request('POST', path, { body, headers: bearer(other.apiKey) })).status).toBe(404);
    const foreignProduct = await server.request('POST', path, {
      body: { ...body, productAccess: [{ productId: other.jsm.id, role: 'user' }] },
      headers: bearer(t.apiKey),
    });
    expect(foreignProduct.status).toBe(404);
    expect(
      (await server.request('POST', path, { body: { emails: ['not-an-email'] }, headers: bearer(t.apiKey) }))
        .status,
    ).toBe(400);

    const o = await buildTenant(server.services, 'original');
    const second = await buildSite(server.services, o.org.id);
    const originalAdmin = await buildAccount(server.services, { orgId: o.org.id, siteAdminOf: [o.site.id] });
    const auth = await buildBasicAuth(server.services, originalAdmin);
    const invitePath = `/admin/v2/orgs/${o.org.id}/users/invite`;
    expect(
      (await server.request('POST', invitePath, { body: { ...body, siteId: o.site.id }, headers: auth }))
        .status,
    ).toBe(200);
    expect(
      (await server.request('POST', invitePath, { body: { ...body, siteId: second.site.id }, headers: auth }))
        .status,
    ).toBe(403);
  });
});
