import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { createKbArticle } from '#src/domain/servicedesk/knowledge-base.ts';
import { buildAccount, buildBasicAuth, buildTenant } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildDeskTenant, customerCookie } from '#src/test/factories/servicedesk.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

/**
 * Regression tests for the cross-tenant reads found by probing every operation as other tenants' personas
 * (issue 10): the Jira user API handed out any user's email, and knowledge-base search ignored the site.
 */

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const sd = (site: string, path: string) => `/sites/${site}/rest/servicedeskapi/${path}`;
const userPath = (site: string, id: string, groups = false) =>
  `/sites/${site}/rest/api/3/user${groups ? '/groups' : ''}?accountId=${encodeURIComponent(id)}`;

async function raise(
  t: Awaited<ReturnType<typeof buildDeskTenant>>,
  onBehalfOf: string,
  participants: string[] = [],
) {
  const response = await server.request('POST', sd(t.site.name, 'request'), {
    headers: t.agent.auth,
    body: {
      serviceDeskId: String(t.desk.id),
      requestTypeId: String(t.requestType.id),
      requestFieldValues: { summary: 'Printer on fire' },
      raiseOnBehalfOf: onBehalfOf,
      requestParticipants: participants,
    },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { issueKey: string };
}

describe('Jira user API: a person the caller may not see is 404', () => {
  it('another org’s admin and agent get 404 (user and user/groups), never the email', async () => {
    const victim = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, victim.site, victim.desk.id);
    const attacker = await buildDeskTenant(server.services);
    const adminAuth = await buildBasicAuth(server.services, attacker.admin);
    for (const headers of [adminAuth, attacker.agent.auth]) {
      for (const id of [ada.customer.id, victim.agent.account.id, victim.admin.id]) {
        for (const groups of [false, true]) {
          const response = await server.request('GET', userPath(victim.site.name, id, groups), { headers });
          expect(response.status).toBe(404);
          expect(await response.text()).not.toContain('@');
        }
      }
    }
    // The rightful agent still sees the customer with the email.
    const own = await server.request('GET', userPath(victim.site.name, ada.customer.id), {
      headers: victim.agent.auth,
    });
    expect(own.status).toBe(200);
    expect((await own.json()).emailAddress).toBe(ada.customer.email);
  });

  it('an account unknown to the site reads itself at its /myself self link, and nobody else there', async () => {
    const victim = await buildDeskTenant(server.services);
    const stranger = await buildDeskTenant(server.services);
    const auth = await buildBasicAuth(server.services, stranger.admin);
    const myself = await server.request('GET', `/sites/${victim.site.name}/rest/api/3/myself`, {
      headers: auth,
    });
    expect(myself.status).toBe(200);
    const { self } = await myself.json();
    expect(
      (await server.request('GET', self.replace('http://gatehouse.test', ''), { headers: auth })).status,
    ).toBe(200);
    const other = await server.request('GET', userPath(victim.site.name, victim.admin.id), { headers: auth });
    expect(other.status).toBe(404);
  });

  it('a site admin of the site sees its people; of another org’s site, nobody', async () => {
    const victim = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, victim.site, victim.desk.id);
    const siteAdmin = await buildAccount(server.services, {
      orgId: victim.org.id,
      siteAdminOf: [victim.site.id],
    });
    const auth = await buildBasicAuth(server.services, siteAdmin);
    const seen = await server.request('GET', userPath(victim.site.name, ada.customer.id), { headers: auth });
    expect(seen.status).toBe(200);
    const other = await buildDeskTenant(server.services);
    const bob = await buildDeskCustomer(server.services, other.site, other.desk.id);
    const cross = await server.request('GET', userPath(other.site.name, bob.customer.id), { headers: auth });
    expect(cross.status).toBe(404);
  });

  it('a customer sees themselves and the people of their requests (no email), no other customer', async () => {
    const t = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const bob = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const eve = await buildDeskCustomer(server.services, t.site, t.desk.id);
    await raise(t, ada.customer.id, [bob.customer.id]);
    const asAda = await customerCookie(server.services, ada.customer);
    const self = await server.request('GET', userPath(t.site.name, ada.customer.id), { headers: asAda });
    expect((await self.json()).emailAddress).toBe(ada.customer.email);
    const participant = await server.request('GET', userPath(t.site.name, bob.customer.id), {
      headers: asAda,
    });
    expect(participant.status).toBe(200);
    const body = await participant.json();
    expect(body.accountId).toBe(bob.customer.id);
    expect(body).not.toHaveProperty('emailAddress');
    for (const groups of [false, true]) {
      const stranger = await server.request('GET', userPath(t.site.name, eve.customer.id, groups), {
        headers: asAda,
      });
      expect(stranger.status).toBe(404);
    }
    // The agent raised the request for Ada, so Ada sees them; the org admin took no part.
    const raiser = await server.request('GET', userPath(t.site.name, t.agent.account.id), { headers: asAda });
    expect(raiser.status).toBe(200);
    expect(await raiser.json()).not.toHaveProperty('emailAddress');
    const admin = await server.request('GET', userPath(t.site.name, t.admin.id), { headers: asAda });
    expect(admin.status).toBe(404);
  });

  it('a customer sees the request’s people without their emails in the request and participant lists', async () => {
    const t = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const bob = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const { issueKey } = await raise(t, bob.customer.id, [ada.customer.id]);
    const asAda = await customerCookie(server.services, ada.customer);
    const request = await server.request(
      'GET',
      `${sd(t.site.name, `request/${issueKey}`)}?expand=participant`,
      {
        headers: asAda,
      },
    );
    expect(request.status).toBe(200);
    const text = await request.text();
    expect(text).not.toContain(bob.customer.email!);
    expect(text).toContain(ada.customer.email!);
    const participants = await server.request('GET', sd(t.site.name, `request/${issueKey}/participant`), {
      headers: asAda,
    });
    expect(await participants.text()).toContain(ada.customer.email!);
    const asAgent = await server.request('GET', sd(t.site.name, `request/${issueKey}`), {
      headers: t.agent.auth,
    });
    expect(await asAgent.text()).toContain(bob.customer.email!);
  });
});

describe('Jira groups: the `self` links of a user’s groups resolve for those who see them', () => {
  it('an agent reads every group link of a user; a member their own groups; others get 404', async () => {
    const t = await buildDeskTenant(server.services);
    const member = await buildAccount(server.services, { orgId: t.org.id, siteUserOn: [t.site.id] });
    const memberAuth = await buildBasicAuth(server.services, member);
    const agentView = await server.request(
      'GET',
      `${userPath(t.site.name, t.agent.account.id)}&expand=groups`,
      {
        headers: t.agent.auth,
      },
    );
    const groupLinks = (await agentView.json()).groups.items as Array<{ name: string; self: string }>;
    expect(groupLinks.length).toBeGreaterThan(0);
    for (const group of groupLinks) {
      const response = await server.request('GET', group.self.replace('http://gatehouse.test', ''), {
        headers: t.agent.auth,
      });
      expect(response.status, group.self).toBe(200);
      const body = await response.json();
      expect(body).toMatchObject({ name: group.name, self: group.self, groupId: expect.any(String) });
      expect(body.users.size).toBeGreaterThan(0);
      // Not a member of the agents' group: the plain member cannot read it.
      const stranger = await server.request('GET', group.self.replace('http://gatehouse.test', ''), {
        headers: memberAuth,
      });
      expect(stranger.status, group.self).toBe(404);
    }
    const own = await server.request('GET', userPath(t.site.name, member.id, true), { headers: memberAuth });
    for (const group of (await own.json()) as Array<{ self: string }>) {
      const response = await server.request('GET', group.self.replace('http://gatehouse.test', ''), {
        headers: memberAuth,
      });
      expect(response.status, group.self).toBe(200);
    }
    const groupPath = `/sites/${t.site.name}/rest/api/3/group?groupname=${encodeURIComponent(groupLinks[0]!.name)}`;
    const attacker = await buildDeskTenant(server.services);
    const cross = await server.request('GET', groupPath, { headers: attacker.agent.auth });
    expect(cross.status).toBe(404);
    const missing = await server.request(
      'GET',
      `/sites/${t.site.name}/rest/api/3/group?groupname=no-such-group`,
      {
        headers: t.agent.auth,
      },
    );
    expect(missing.status).toBe(404);
    expect((await server.request('GET', groupPath)).status).toBe(401);
  });
});

describe('Knowledge base: search is scoped to what the caller can reach on the site', () => {
  it('another site’s agent finds nothing and cannot open a site-wide article', async () => {
    const victim = await buildDeskTenant(server.services);
    const article = await server.services.db.transaction((tx) =>
      createKbArticle(
        { services: server.services, actor: SYSTEM, tenant: { site: victim.site } },
        {
          title: 'Alpha secret rollout',
          body: 'alpha alpha',
          format: 'markdown',
        },
        tx,
      ),
    );
    const attacker = await buildDeskTenant(server.services);
    const search = await server.request(
      'GET',
      `${sd(victim.site.name, 'knowledgebase/article')}?query=alpha`,
      {
        headers: attacker.agent.auth,
      },
    );
    expect(search.status).toBe(200);
    expect((await search.json()).values).toEqual([]);
    const view = await server.request(
      'GET',
      sd(victim.site.name, `knowledgebase/article/view/${article.id}`),
      {
        headers: attacker.agent.auth,
      },
    );
    expect(view.status).toBe(404);
    // The site's own customer (of a restricted desk) and agent find it.
    const ada = await buildDeskCustomer(server.services, victim.site, victim.desk.id);
    for (const headers of [victim.agent.auth, await customerCookie(server.services, ada.customer)]) {
      const found = await server.request(
        'GET',
        `${sd(victim.site.name, 'knowledgebase/article')}?query=alpha`,
        {
          headers,
        },
      );
      expect((await found.json()).values.map((a: { title: string }) => a.title)).toEqual([
        'Alpha secret rollout',
      ]);
    }
  });
});

describe('Customer organizations: strangers get 404, not 403', () => {
  it('another site’s agent gets 404 on every organization endpoint; the site’s customer 403', async () => {
    const victim = await buildDeskTenant(server.services);
    const created = await server.request('POST', sd(victim.site.name, 'organization'), {
      headers: victim.agent.auth,
      body: { name: 'Partners' },
    });
    const { id } = (await created.json()) as { id: string };
    const attacker = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, victim.site, victim.desk.id);
    const asAda = await customerCookie(server.services, ada.customer);
    const calls: Array<[string, string, unknown?]> = [
      ['GET', `organization/${id}`],
      ['DELETE', `organization/${id}`],
      ['GET', `organization/${id}/user`],
      ['POST', `organization/${id}/user`, { accountIds: [ada.customer.id] }],
      ['DELETE', `organization/${id}/user`, { accountIds: [ada.customer.id] }],
      ['POST', 'organization', { name: 'Intruders' }],
    ];
    for (const [method, path, body] of calls) {
      const stranger = await server.request(method, sd(victim.site.name, path), {
        headers: attacker.agent.auth,
        body,
      });
      expect(stranger.status, `${method} ${path}`).toBe(404);
      const customer = await server.request(method, sd(victim.site.name, path), { headers: asAda, body });
      expect(customer.status, `${method} ${path}`).toBe(403);
    }
  });

  it('the desk-organizations list answers 404 for a desk that does not exist', async () => {
    const t = await buildDeskTenant(server.services);
    const stranger = await buildAccount(server.services);
    const headers = await buildBasicAuth(server.services, stranger);
    for (const auth of [t.agent.auth, headers]) {
      const response = await server.request('GET', sd(t.site.name, 'servicedesk/987654/organization'), {
        headers: auth,
      });
      expect(response.status).toBe(404);
    }
  });
});

describe('Console and API agree on the org user list', () => {
  it('a site admin (original experience) gets 403 on both; the org admin 200 on both', async () => {
    const t = await buildTenant(server.services, 'original');
    const siteAdmin = await buildAccount(server.services, { orgId: t.org.id, siteAdminOf: [t.site.id] });
    const siteAdminAuth = await buildBasicAuth(server.services, siteAdmin);
    const adminAuth = await buildBasicAuth(server.services, t.admin);
    for (const [headers, status] of [
      [siteAdminAuth, 403],
      [adminAuth, 200],
    ] as const) {
      const api = await server.request('GET', `/admin/v1/orgs/${t.org.id}/users`, { headers });
      const page = await server.request('GET', `/admin/o/${t.org.id}/directory/users`, { headers });
      expect([api.status, page.status]).toEqual([status, status]);
    }
  });
});
