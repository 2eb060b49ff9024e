import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAccount,
  buildBasicAuth,
  buildCustomer,
  buildOrg,
  buildSite,
  buildTenant,
} from '#src/test/factories/directory.ts';
import { FORM_HEADERS, formBody } from '#src/test/factories/web.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

describe('admin user pages', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('centralized: the detail shows the twin note; suspend and restore access; seats run out clearly', async () => {
    const org = await buildOrg(server.services, 'centralized');
    const site = await buildSite(server.services, org.id, { seats: { 'jira-servicemanagement': 1 } });
    const admin = await buildAccount(server.services, { orgId: org.id, orgAdmin: true });
    const auth = await buildBasicAuth(server.services, admin);
    const first = await buildAccount(server.services, { orgId: org.id, email: 'twin@people.test' });
    const second = await buildAccount(server.services, { orgId: org.id });
    await buildCustomer(server.services, {
      orgId: org.id,
      siteId: site.site.id,
      email: 'twin@people.test',
      displayName: 'Twin Portal',
    });
    const users = `/admin/o/${org.id}/directory/users`;
    const list = await (await server.request('GET', users, { headers: auth })).text();
    expect(list).toContain(first.email);
    expect(list).toContain('3 users');
    // "Find the user": a part of the email finds them, and only them.
    const found = await (
      await server.request('GET', `${users}?q=${encodeURIComponent('TWIN@people')}`, { headers: auth })
    ).text();
    expect(found).toContain(first.email);
    expect(found).not.toContain(second.email);
    expect(found).toContain('1 matching');
    const none = await (
      await server.request('GET', `${users}?q=${encodeURIComponent('%_')}`, { headers: auth })
    ).text();
    expect(none).toContain('No users match.');
    const url = `${users}/${first.id}`;
    const detail = await (await server.request('GET', url, { headers: auth })).text();
    expect(detail).toContain('This user also has a portal-only customer profile');
    expect(detail).toContain('Suspend access');

    // Suspending asks first (and says it is organization access); nothing changes until confirmed.
    const ask = await server.request('POST', `${url}/suspend`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: '',
    });
    expect(ask.status).toBe(200);
    const question = await ask.text();
    expect(question).toContain('Are you sure?');
    expect(question).toContain('every site and product');
    expect(question).toContain('name="confirmed" value="yes"');
    expect(await (await server.request('GET', url, { headers: auth })).text()).toContain(
      'nothing to restore',
    );
    const suspend = await server.request('POST', `${url}/suspend`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ confirmed: 'yes' }),
    });
    expect(suspend.status).toBe(303);
    const suspended = await (await server.request('GET', url, { headers: auth })).text();
    expect(suspended).toContain('Restore access');
    const restore = await server.request('POST', `${url}/restore`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: '',
    });
    expect(restore.status).toBe(303);
    expect(await (await server.request('GET', url, { headers: auth })).text()).toContain('Suspend access');

    const grant = (accountId: string) =>
      server.request('POST', `${users}/${accountId}/product-access`, {
        headers: { ...auth, ...FORM_HEADERS },
        body: formBody({ productId: site.jsm.id, role: 'user' }),
      });
    expect((await grant(first.id)).status).toBe(303);
    const refused = await grant(second.id);
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain('notice-error');
    expect(html).toContain(second.email);
    const after = await (await server.request('GET', `${users}/${first.id}`, { headers: auth })).text();
    expect(after).toContain('1 of 1');
    // Revoking the role frees the seat for the second user.
    const askRevoke = await server.request('POST', `${users}/${first.id}/product-access/revoke`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ productId: site.jsm.id, role: 'user' }),
    });
    expect(askRevoke.status).toBe(200);
    expect(await askRevoke.text()).toContain('which frees a seat');
    const revoked = await server.request('POST', `${users}/${first.id}/product-access/revoke`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ productId: site.jsm.id, role: 'user', confirmed: 'yes' }),
    });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('location')).toContain('done=revoke');
    expect((await grant(second.id)).status).toBe(303);
    // Many round trips (list, search, detail, two confirmations, grants): more than the default 30 s on a busy CI.
  }, 60_000);

  it('original: a site admin toggles "Has access on site" on their site', async () => {
    const t = await buildTenant(server.services, 'original');
    const siteAdmin = await buildAccount(server.services, { orgId: t.org.id, siteAdminOf: [t.site.id] });
    const auth = await buildBasicAuth(server.services, siteAdmin);
    const member = await buildAccount(server.services, { orgId: t.org.id });
    const url = `/admin/o/${t.org.id}/sites/${t.site.name}/users/${member.id}`;
    const before = await (await server.request('GET', url, { headers: auth })).text();
    expect(before).toContain('Has access on site');
    expect(before).not.toContain('Suspend access');
    expect(before).toContain('role="switch"');
    const ask = await server.request('POST', `${url}/site-access`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ siteId: t.site.id, hasAccess: 'off' }),
    });
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('Only this site changes');
    const off = await server.request('POST', `${url}/site-access`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: formBody({ siteId: t.site.id, hasAccess: 'off', confirmed: 'yes' }),
    });
    expect(off.status).toBe(303);
    const after = await (await server.request('GET', url, { headers: auth })).text();
    expect(after).toMatch(new RegExp(`data-testid="site-access-${t.site.name}"[^>]*>Off<`));
    const groups = await server.request('GET', `/admin/o/${t.org.id}/sites/${t.site.name}/groups`, {
      headers: auth,
    });
    expect(groups.status).toBe(200);
    expect(await groups.text()).toContain(`jira-servicemanagement-customers-${t.site.name}`);
  });

  it("answers 404 for another org's user, also when asked to confirm an action on them", async () => {
    const mine = await buildTenant(server.services, 'centralized');
    const theirs = await buildTenant(server.services, 'centralized');
    const auth = await buildBasicAuth(server.services, mine.admin);
    const res = await server.request('GET', `/admin/o/${mine.org.id}/directory/users/${theirs.admin.id}`, {
      headers: auth,
    });
    expect(res.status).toBe(404);
    for (const action of ['suspend', 'product-access/revoke']) {
      const asked = await server.request(
        'POST',
        `/admin/o/${mine.org.id}/directory/users/${theirs.admin.id}/${action}`,
        { headers: { ...auth, ...FORM_HEADERS }, body: formBody({ productId: theirs.jsm.id, role: 'user' }) },
      );
      expect(asked.status, action).toBe(404);
      expect(await asked.text()).not.toContain(theirs.admin.email);
    }
  });

  it('a member without admin rights gets 403, not a confirmation', async () => {
    const t = await buildTenant(server.services, 'centralized');
    const member = await buildAccount(server.services, { orgId: t.org.id });
    const auth = await buildBasicAuth(server.services, member);
    const asked = await server.request('POST', `/admin/o/${t.org.id}/directory/users/${t.admin.id}/suspend`, {
      headers: { ...auth, ...FORM_HEADERS },
      body: '',
    });
    expect(asked.status).toBe(403);
    expect(await asked.text()).not.toContain('Are you sure?');
  });

  it('groups are counted and sort by members', async () => {
    const t = await buildTenant(server.services, 'centralized');
    const auth = await buildBasicAuth(server.services, t.admin);
    const groups = `/admin/o/${t.org.id}/directory/groups`;
    const html = await (
      await server.request('GET', `${groups}?sort=members&dir=desc`, { headers: auth })
    ).text();
    expect(html).toMatch(/data-testid="groups-count">\d+ groups</);
    expect(html).toContain('aria-sort="descending"');
    const odd = await server.request('GET', `${groups}?sort=password&dir=sideways&page=abc`, {
      headers: auth,
    });
    expect(odd.status).toBe(200);
  });
});
