import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildBasicAuth } from '#src/test/factories/directory.ts';
import { buildDeskTenant, buildServiceDesk } from '#src/test/factories/servicedesk.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const sd = (site: string, path: string) => `/sites/${site}/rest/servicedeskapi/${path}`;

describe('JSM service desks', () => {
  it('answers 401 without credentials and 404 for an unknown site', async () => {
    const t = await buildDeskTenant(server.services);
    const anonymous = await server.request('GET', sd(t.site.name, 'servicedesk'));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ i18nErrorMessage: { i18nKey: 'auth.unauthenticated' } });
    const unknown = await server.request('GET', sd('no-such-site', 'servicedesk'), { headers: t.agent.auth });
    expect(unknown.status).toBe(404);
  });

  it('lists and gets desks for an agent (by id and key) in JSM page shape; another tenant gets 404', async () => {
    const t = await buildDeskTenant(server.services);
    const list = await server.request('GET', `${sd(t.site.name, 'servicedesk')}?limit=1`, {
      headers: t.agent.auth,
    });
    expect(list.status).toBe(200);
    const page = await list.json();
    expect(page).toMatchObject({ start: 0, limit: 1, size: 1, isLastPage: true });
    expect(page.values[0]).toMatchObject({
      id: String(t.desk.id),
      projectKey: t.desk.projectKey,
      projectTypeKey: 'service_desk',
    });
    expect(page._links.self).toMatch(/^http/);
    const byKey = await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.projectKey}`), {
      headers: t.agent.auth,
    });
    expect((await byKey.json()).id).toBe(String(t.desk.id));
    const other = await buildDeskTenant(server.services);
    const cross = await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}`), {
      headers: bearer(other.apiKey),
    });
    expect(cross.status).toBe(404);
  });

  it('shows a customer open desks and the desks they belong to only', async () => {
    const t = await buildDeskTenant(server.services);
    const open = await buildServiceDesk(server.services, t.site, { access: 'open' });
    const stranger = await buildAccount(server.services);
    const list = await (
      await server.request('GET', sd(t.site.name, 'servicedesk'), {
        headers: await buildBasicAuth(server.services, stranger),
      })
    ).json();
    expect(list.values.map((d: { id: string }) => d.id)).toEqual([String(open.desk.id)]);
    const hidden = await server.request('GET', sd(t.site.name, `servicedesk/${t.desk.id}`), {
      headers: await buildBasicAuth(server.services, stranger),
    });
    expect(hidden.status).toBe(404);
  });
});
