import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDefaultGroup } from '#src/db/queries/directory/groups.queries.ts';
import {
  buildAccount,
  buildBasicAuth,
  buildCustomer,
  buildSite,
  buildTenant,
} from '#src/test/factories/directory.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

describe('admin API: one group (the `links.self` of a listed group)', () => {
  it('answers the group with its member count; 404 for another org, a missing group; 403 to a plain member', async () => {
    const t = await buildTenant(server.services);
    const list = await (
      await server.request('GET', `/admin/v1/orgs/${t.org.id}/groups`, { headers: bearer(t.apiKey) })
    ).json();
    const listed = list.data[0];
    const one = await server.request('GET', listed.links.self, { headers: bearer(t.apiKey) });
    expect(one.status).toBe(200);
    expect((await one.json()).data).toEqual(listed);
    const other = await buildTenant(server.services);
    const cross = await server.request('GET', listed.links.self, { headers: bearer(other.apiKey) });
    expect(cross.status).toBe(404);
    const missing = await server.request('GET', `/admin/v1/orgs/${t.org.id}/groups/no-such-group`, {
      headers: bearer(t.apiKey),
    });
    expect((await missing.json()).errors[0]).toMatchObject({
      code: 'ADMIN-404-10',
      title: 'Group not found',
    });
    const member = await buildAccount(server.services, { orgId: t.org.id });
    const denied = await server.request('GET', listed.links.self, {
      headers: await buildBasicAuth(server.services, member),
    });
    expect(denied.status).toBe(403);
  });
});

describe('admin API: groups', () => {
  it('creates (201), refuses duplicates (409) and renames (400), deletes custom groups but not default ones', async () => {
    const t = await buildTenant(server.services);
    const headers = bearer(t.apiKey);
    const created = await server.request('POST', `/admin/v1/orgs/${t.org.id}/groups`, {
      headers,
      body: { name: 'Support leads', description: 'Tier 2' },
    });
    expect(created.status).toBe(201);
    const group = (await created.json()).data;
    expect(group).toMatchObject({ name: 'Support leads', is_default: false, member_count: 0, role: null });
    const duplicate = await server.request('POST', `/admin/v1/orgs/${t.org.id}/groups`, {
      headers,
      body: { name: 'SUPPORT LEADS' },
    });
    expect(duplicate.status).toBe(409);
    expect((await duplicate.json()).errors[0].meta.code).toBe('directory.group_name_in_use');
    const rename = await server.request('PATCH', `/admin/v1/orgs/${t.org.id}/groups/${group.id}`, {
      headers,
      body: { name: 'Leads' },
    });
    expect(rename.status).toBe(400);
    expect((await rename.json()).errors[0].meta.code).toBe('directory.group_rename_forbidden');

    const defaultGroup = await findDefaultGroup(server.services.db, t.jsm.id, 'user');
    const refuse = await server.request('DELETE', `/admin/v1/orgs/${t.org.id}/groups/${defaultGroup!.id}`, {
      headers,
    });
    expect(refuse.status).toBe(409);
    expect((await refuse.json()).errors[0].meta.code).toBe('directory.group_is_default');
    const deleted = await server.request('DELETE', `/admin/v1/orgs/${t.org.id}/groups/${group.id}`, {
      headers,
    });
    expect(deleted.status).toBe(204);
    expect(
      (await server.request('DELETE', `/admin/v1/orgs/${t.org.id}/groups/${group.id}`, { headers })).status,
    ).toBe(404);
  });

  it('adds and removes members; portal-only customers never join; non-members 404; seats are enforced', async () => {
    const t = await buildTenant(server.services);
    const { jira } = await buildSite(server.services, t.org.id, { seats: { 'jira-software': 1 } });
    const headers = bearer(t.apiKey);
    const a = await buildAccount(server.services, { orgId: t.org.id });
    const b = await buildAccount(server.services, { orgId: t.org.id });
    const group = (
      await (
        await server.request('POST', `/admin/v1/orgs/${t.org.id}/groups`, { headers, body: { name: 'Team' } })
      ).json()
    ).data;
    const members = `/admin/v1/orgs/${t.org.id}/groups/${group.id}/members`;

    expect(
      await (await server.request('POST', members, { headers, body: { accountIds: [a.id, b.id] } })).json(),
    ).toEqual({
      added: 2,
    });
    const { customer } = await buildCustomer(server.services, { orgId: t.org.id, siteId: t.site.id });
    const portalOnly = await server.request('POST', members, {
      headers,
      body: { accountIds: [customer.id] },
    });
    expect(portalOnly.status).toBe(400);
    expect((await portalOnly.json()).errors[0].meta.code).toBe('directory.portal_only_cannot_join');
    const stranger = await buildAccount(server.services);
    const notMember = await server.request('POST', members, { headers, body: { accountIds: [stranger.id] } });
    expect(notMember.status).toBe(404);
    expect((await notMember.json()).errors[0].meta.code).toBe('directory.not_a_member');
    expect(
      await (await server.request('DELETE', members, { headers, body: { accountIds: [a.id] } })).json(),
    ).toEqual({
      removed: 1,
    });

    const jiraUsers = await findDefaultGroup(server.services.db, jira.id, 'user');
    const seatPath = `/admin/v1/orgs/${t.org.id}/groups/${jiraUsers!.id}/members`;
    const tooMany = await server.request('POST', seatPath, { headers, body: { accountIds: [a.id, b.id] } });
    expect(tooMany.status).toBe(409);
    expect((await tooMany.json()).errors[0].meta.code).toBe('directory.no_seats_left');
    expect((await server.request('POST', seatPath, { headers, body: { accountIds: [a.id] } })).status).toBe(
      200,
    );
    const empty = await server.request('POST', members, { headers, body: { accountIds: [] } });
    expect(empty.status).toBe(400);
  });

  it('answers 401, 403 for members and centralized site admins, 404 across tenants', async () => {
    const t = await buildTenant(server.services);
    const other = await buildTenant(server.services);
    const path = `/admin/v1/orgs/${t.org.id}/groups`;
    expect((await server.request('POST', path, { body: { name: 'x' } })).status).toBe(401);
    const siteAdmin = await buildAccount(server.services, { orgId: t.org.id, siteAdminOf: [t.site.id] });
    const denied = await server.request('POST', path, {
      headers: await buildBasicAuth(server.services, siteAdmin),
      body: { name: 'x' },
    });
    expect(denied.status).toBe(403);
    expect(
      (await server.request('POST', path, { headers: bearer(other.apiKey), body: { name: 'x' } })).status,
    ).toBe(404);
    const theirGroup = await findDefaultGroup(server.services.db, other.jsm.id, 'user');
    const cross = await server.request(
      'POST',
      `/admin/v1/orgs/${t.org.id}/groups/${theirGroup!.id}/members`,
      {
        headers: bearer(t.apiKey),
        body: { accountIds: [t.admin.id] },
      },
    );
    expect(cross.status).toBe(404);
  });

  it('never passes the seat limit under parallel adds to a billable default group', async () => {
    const t = await buildTenant(server.services);
    const { jira } = await buildSite(server.services, t.org.id, { seats: { 'jira-software': 2 } });
    const people = [];
    for (let i = 0; i < 6; i++) people.push(await buildAccount(server.services, { orgId: t.org.id }));
    const jiraUsers = await findDefaultGroup(server.services.db, jira.id, 'user');
    const responses = await Promise.all(
      people.map((p) =>
        server.request('POST', `/admin/v1/orgs/${t.org.id}/groups/${jiraUsers!.id}/members`, {
          headers: bearer(t.apiKey),
          body: { accountIds: [p.id] },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 409, 409, 409, 409]);
    const products = await (
      await server.request('GET', `/admin/v1/orgs/${t.org.id}/products`, { headers: bearer(t.apiKey) })
    ).json();
    expect(products.data.find((p: { id: string }) => p.id === jira.id).seats).toEqual({
      limit: 2,
      used: 2,
      available: 0,
    });
  });
});
