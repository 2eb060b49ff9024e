import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createRouter } from '#src/web/http.ts';
import { auditResponses, linksIn } from './response-audit.ts';

/** The audit every test server runs must catch what it is there for: a dead link, an undeclared status. */
function probeApp() {
  const app = createRouter();
  const item = createRoute({
    method: 'get',
    path: '/rest/probe/items/{id}',
    summary: 'probe',
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: { description: 'ok', content: { 'application/json': { schema: z.object({}) } } } },
  });
  app.openapi(item, (c) => {
    if (c.req.valid('param').id === 'missing') return c.json({}, 404 as 200);
    return c.json({ self: `http://probe.test/rest/probe/items/${c.req.valid('param').id}` }, 200);
  });
  app.get('/rest/probe/list', (c) =>
    c.json({ _links: { self: 'http://probe.test/rest/probe/list', dead: 'http://probe.test/rest/nothing' } }),
  );
  app.get('/rest/probe/page', (c) => c.json({ web: 'http://probe.test/login-page' }));
  app.get('/login-page', (c) => c.redirect('/login', 302));
  app.get('/openapi.json', (c) =>
    c.json(app.getOpenAPIDocument({ openapi: '3.0.3', info: { title: 'p', version: '1' } })),
  );
  return app;
}

describe('the response audit of test servers', () => {
  it('finds links: absolute ones anywhere, relative ones under link keys, never action links', () => {
    const found = linksIn(
      {
        self: '/a',
        note: '/not-a-link',
        links: { next: '/b', cancel: '/c/cancel' },
        nested: [{ avatarUrls: { '16x16': 'http://x.test/d' } }],
      },
      'http://x.test',
    );
    expect([...found].sort()).toEqual(['/a', '/b', '/d']);
  });

  it('reports a link that does not answer 200 and a status the spec does not declare, and nothing else', async () => {
    const app = probeApp();
    const audit = auditResponses(app, 'http://probe.test');
    expect((await app.request('/rest/probe/items/one')).status).toBe(200);
    expect((await app.request('/rest/probe/list')).status).toBe(200);
    expect((await app.request('/rest/probe/page')).status).toBe(200);
    expect((await app.request('/rest/probe/items/missing')).status).toBe(404);
    await audit.checkStatuses();
    expect(audit.problems).toEqual([
      'link /rest/nothing answered 404 to the caller of GET /rest/probe/list (200)',
      'GET /rest/probe/items/{id} answered 404, not declared in /openapi.json (/rest/probe/items/missing)',
    ]);
  });
});
