import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { createKbArticle } from '#src/domain/servicedesk/knowledge-base.ts';
import { buildDeskTenant } from '#src/test/factories/servicedesk.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const sd = (site: string, path: string) => `/sites/${site}/rest/servicedeskapi/${path}`;

describe('JSM knowledge base', () => {
  it('needs a query, finds articles by words, and never returns unsafe HTML', async () => {
    const t = await buildDeskTenant(server.services);
    await server.services.db.transaction(async (tx) => {
      await createKbArticle(
        { services: server.services, actor: SYSTEM, tenant: { site: t.site } },
        {
          title: 'Reset your VPN password',
          body: '# VPN\nOpen **settings** <script>alert(1)</script>',
          format: 'markdown',
          serviceDeskId: t.desk.id,
        },
        tx,
      );
      await createKbArticle(
        { services: server.services, actor: SYSTEM, tenant: { site: t.site } },
        {
          title: 'Printer setup',
          body: '<p onclick="x()">Plug it in</p>',
          format: 'html',
        },
        tx,
      );
    });
    const none = await server.request('GET', sd(t.site.name, 'knowledgebase/article'), {
      headers: t.agent.auth,
    });
    expect(none.status).toBe(400);
    const found = await (
      await server.request('GET', `${sd(t.site.name, 'knowledgebase/article')}?query=vpn&highlight=true`, {
        headers: t.agent.auth,
      })
    ).json();
    expect(found.values).toHaveLength(1);
    expect(found.values[0].title).toBe('Reset your @@@hl@@@VPN@@@endhl@@@ password');
    expect(JSON.stringify(found)).not.toContain('<script');
    const desk = await (
      await server.request(
        'GET',
        `${sd(t.site.name, `servicedesk/${t.desk.id}/knowledgebase/article`)}?query=plug`,
        { headers: t.agent.auth },
      )
    ).json();
    expect(desk.values.map((a: { title: string }) => a.title)).toEqual(['Printer setup']);
    expect(desk.values[0].excerpt).toBe('Plug it in');
    const view = await server.request('GET', new URL(found.values[0].content.iframeSrc).pathname, {
      headers: t.agent.auth,
    });
    expect(view.status).toBe(200);
    const html = await view.text();
    expect(html).toContain('<strong>settings</strong>');
    expect(html).not.toContain('<script');
    const missing = await server.request('GET', sd(t.site.name, 'knowledgebase/article/view/999999'), {
      headers: t.agent.auth,
    });
    expect(missing.status).toBe(404);
  });
});

describe('JSM knowledge base paging', () => {
  it('pages with cursor and prev like Atlassian’s, start still working', async () => {
    const t = await buildDeskTenant(server.services);
    await server.services.db.transaction(async (tx) => {
      for (const n of [1, 2, 3, 4, 5])
        await createKbArticle(
          { services: server.services, actor: SYSTEM, tenant: { site: t.site } },
          { title: `Guide ${n}`, body: 'guide', format: 'markdown' },
          tx,
        );
    });
    const get = async (url: string) => {
      const response = await server.request('GET', url.replace('http://gatehouse.test', ''), {
        headers: t.agent.auth,
      });
      expect(response.status, url).toBe(200);
      return (await response.json()) as {
        start: number;
        isLastPage: boolean;
        values: Array<{ title: string }>;
        _links: { self: string; next?: string; prev?: string };
      };
    };
    const titles = (page: { values: Array<{ title: string }> }) => page.values.map((a) => a.title);
    const first = await get(`${sd(t.site.name, 'knowledgebase/article')}?query=guide&limit=2`);
    expect(first._links.prev).toBeUndefined();
    expect(first._links.next).toMatch(/[?&]cursor=/);
    expect(first._links.next).not.toMatch(/[?&]start=/);
    const second = await get(first._links.next!);
    const third = await get(second._links.next!);
    expect(third.isLastPage).toBe(true);
    expect(third._links.next).toBeUndefined();
    const all = [...titles(first), ...titles(second), ...titles(third)];
    expect(all).toHaveLength(5);
    expect(new Set(all).size).toBe(5);
    expect(third._links.prev).toMatch(/[?&]prev=true/);
    expect(titles(await get(third._links.prev!))).toEqual(titles(second));
    expect(titles(await get(second._links.self))).toEqual(titles(second));
    // The deprecated start still pages the same way.
    expect(
      titles(await get(`${sd(t.site.name, 'knowledgebase/article')}?query=guide&limit=2&start=2`)),
    ).toEqual(titles(second));
    const bad = await server.request(
      'GET',
      `${sd(t.site.name, 'knowledgebase/article')}?query=guide&cursor=nope`,
      {
        headers: t.agent.auth,
      },
    );
    expect(bad.status).toBe(400);
  });
});
