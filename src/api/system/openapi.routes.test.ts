import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '#src/app/create-app.ts';
import { buildDeskCustomer, buildDeskTenant, customerCookie } from '#src/test/factories/servicedesk.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

interface Operation {
  tags?: string[];
  summary?: string;
  description?: string;
  responses?: Record<string, unknown>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

let server: TestServer;
let document: OpenApiDocument;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
  const response = await server.request('GET', '/openapi.json');
  expect(response.status).toBe(200);
  document = (await response.json()) as OpenApiDocument;
});
afterAll(() => server.close());

function operations(): Array<{ key: string; operation: Operation }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })),
  );
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3 document', async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors.map((e) => e.message)).toEqual([]);
    expect(document.openapi).toMatch(/^3\./);
  });

  it('documents the foundation routes', () => {
    const keys = operations().map((o) => o.key);
    for (const key of [
      'GET /healthz',
      'GET /readyz',
      'GET /admin/v1/orgs',
      'GET /admin/v1/orgs/{orgId}',
      'GET /admin/v1/orgs/{orgId}/users',
      'GET /admin/v1/orgs/{orgId}/groups',
      'POST /admin/v1/orgs/{orgId}/api-keys',
    ])
      expect(keys).toContain(key);
  });

  it('gives every operation tags, a summary, a description and its error responses', () => {
    const problems: string[] = [];
    for (const { key, operation } of operations()) {
      if (!operation.tags?.length) problems.push(`${key}: no tags`);
      if (!operation.summary?.trim()) problems.push(`${key}: no summary`);
      if (!operation.description?.trim()) problems.push(`${key}: no description`);
      const statuses = Object.keys(operation.responses ?? {});
      if (!statuses.some((s) => s.startsWith('2'))) problems.push(`${key}: no success response`);
      const authenticated = key.includes('/admin/v') || key.includes('/rest/');
      if (authenticated && !statuses.includes('401')) problems.push(`${key}: no 401 response`);
    }
    expect(problems).toEqual([]);
  });

  it('covers every REST route the app serves (no undocumented /admin/vN or /rest routes)', () => {
    const documented = new Set(operations().map((o) => o.key));
    const served = server.app.routes
      .filter((r) => METHODS.includes(r.method.toLowerCase()))
      .filter((r) => /^\/admin\/v\d+\//.test(r.path) || /^\/sites\/[^/]+\/rest\//.test(r.path))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`);
    expect(served.length).toBeGreaterThan(0);
    expect(served.filter((key) => !documented.has(key))).toEqual([]);
  });
});

describe('the answers every operation can give', () => {
  it('declares 400, 413 and 415 where an operation takes input or a body, and 431 everywhere', () => {
    const problems: string[] = [];
    for (const { key, operation } of operations()) {
      const statuses = Object.keys(operation.responses ?? {});
      const { requestBody, parameters } = operation as { requestBody?: unknown; parameters?: unknown[] };
      const expected = ['431'];
      if (requestBody || parameters?.length) expected.push('400');
      if (requestBody) expected.push('413', '415');
      for (const status of expected) if (!statuses.includes(status)) problems.push(`${key}: no ${status}`);
    }
    expect(problems).toEqual([]);
  });

  it('states the real limits: the body limit, 1,000 customers per migration call', () => {
    const start = document.paths['/admin/v1/orgs/{orgId}/sites/{siteId}/migrations']?.post as {
      responses: Record<string, { description: string }>;
    };
    expect(start.responses['413']?.description).toContain(String(MAX_BODY_BYTES));
    const schema = (document as unknown as { components: { schemas: Record<string, unknown> } }).components
      .schemas.StartMigrationRequest as { properties: Record<string, { maxItems?: number }> };
    expect(schema.properties.customerIds?.maxItems).toBe(1000);
    expect(schema.properties.emails?.maxItems).toBe(1000);
  });

  it('names the session cookie wherever a JSM route accepts it', async () => {
    const operation = document.paths['/sites/{site}/rest/servicedeskapi/request/{issueIdOrKey}']?.get as {
      security: Array<Record<string, string[]>>;
    };
    expect(operation.security).toEqual(expect.arrayContaining([{ cookie: [] }, { basic: [] }]));
    // …and it really is accepted there: a portal customer's session reads its own request.
    const t = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const created = await server.request('POST', `/sites/${t.site.name}/rest/servicedeskapi/request`, {
      headers: t.agent.auth,
      body: {
        serviceDeskId: String(t.desk.id),
        requestTypeId: String(t.requestType.id),
        requestFieldValues: { summary: 'Cookie check' },
        raiseOnBehalfOf: ada.customer.id,
      },
    });
    const { issueKey } = (await created.json()) as { issueKey: string };
    const read = await server.request(
      'GET',
      `/sites/${t.site.name}/rest/servicedeskapi/request/${issueKey}`,
      {
        headers: await customerCookie(server.services, ada.customer),
      },
    );
    expect(read.status).toBe(200);
  });

  it('answers 431 to headers over 16 KiB on a listening server, as declared', async () => {
    const http = serve({ fetch: server.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => http.once('listening', () => resolve()));
    const { port } = http.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port, path: '/healthz', headers: { 'x-padding': 'x'.repeat(20 * 1024) } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end();
    });
    await new Promise<void>((resolve) => http.close(() => resolve()));
    expect(status).toBe(431);
  });
});

describe('the API docs page', () => {
  it('serves Swagger UI pointing at /openapi.json, with its assets', async () => {
    const page = await server.request('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain("url: '/openapi.json'");
    const assets = [...html.matchAll(/(?:href|src)="(\/docs\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const response = await server.request('GET', asset);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(1000);
    }
  });

  it('refuses to serve files outside the Swagger UI folder', async () => {
    for (const path of ['/docs/assets/..%2Fpackage.json', '/docs/assets/no-such-file.js']) {
      expect((await server.request('GET', path)).status, path).toBe(404);
    }
  });
});
