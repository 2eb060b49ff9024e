import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
