import { createRoute, z } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type GatehouseApp, MAX_BODY_BYTES } from '#src/app/create-app.ts';
import { insertAccount } from '#src/db/queries/directory/accounts.queries.ts';
import { newId } from '#src/shared/ids.ts';
import { buildTenant } from '#src/test/factories/directory.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { createRouter } from '#src/web/http.ts';
import { errorResponses, ZAdminError, ZJsmError } from './pagination.ts';

/**
 * Probe routes, mounted only in this test, one per surface, to drive the error handler with inputs no real
 * route needs yet (a DB unique violation, an unexpected crash).
 */
function probeRoutes(prefix: string, errorSchema: typeof ZAdminError | typeof ZJsmError) {
  const ZBody = z.object({ name: z.string().min(1), count: z.number().int().min(0) }).strict();
  const body = createRoute({
    method: 'post',
    path: `${prefix}/probe/items/{itemId}`,
    tags: ['Test'],
    summary: 'probe',
    description: 'probe',
    request: {
      params: z.object({ itemId: z.uuid() }),
      body: { required: true, content: { 'application/json': { schema: ZBody } } },
    },
    responses: {
      200: { description: 'ok', content: { 'application/json': { schema: ZBody } } },
      ...errorResponses(errorSchema, [400]),
    },
  });
  return createRouter()
    .openapi(body, (c) => c.json(c.req.valid('json'), 200))
    .post(`${prefix}/probe/duplicate-email`, async (c) => {
      const { db } = c.get('services');
      const email = `dup-${newId()}@example.test`;
      await insertAccount(db, { id: newId(), email, name: 'One' });
      await insertAccount(db, { id: newId(), email: email.toUpperCase(), name: 'Two' });
      return c.json({}, 200);
    })
    .get(`${prefix}/probe/crash`, () => {
      throw new Error('secret detail: connection string postgres://u:p@db');
    });
}

const ADMIN = '/admin/v1';
const JSM = '/sites/probe-site/rest/servicedeskapi';

let server: TestServer;
let app: GatehouseApp;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
  app = createApp(server.services);
  app.route('/', probeRoutes(ADMIN, ZAdminError));
  app.route('/', probeRoutes(JSM, ZJsmError));
});
afterAll(() => server.close());

function send(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  return Promise.resolve(
    app.request(path, {
      method,
      body,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    }),
  );
}

interface AdminMeta {
  code: string;
  details?: Array<{ path: string }>;
}

async function adminError(response: Response) {
  const body = await response.json();
  expect(body).toEqual({
    errors: [
      expect.objectContaining({
        id: expect.any(String),
        status: String(response.status),
        code: expect.stringMatching(/^ADMIN-\d{3}-\d+$/),
        title: expect.any(String),
        detail: expect.any(String),
        meta: expect.objectContaining({ code: expect.any(String) }),
      }),
    ],
  });
  const [error] = body.errors as Array<{ code: string; title: string; detail: string; meta: AdminMeta }>;
  expect(error!.code.split('-')[1]).toBe(String(response.status));
  // Callers of this helper check Gatehouse's own code and details, kept in meta.
  return { ...error!.meta, detail: error!.detail, adminCode: error!.code, title: error!.title };
}

async function jsmError(response: Response) {
  const body = await response.json();
  expect(body).toMatchObject({
    errorMessage: expect.any(String),
    i18nErrorMessage: { i18nKey: expect.any(String), parameters: expect.any(Array) },
  });
  expect(body.errors).toBeUndefined();
  return body as { errorMessage: string; i18nErrorMessage: { i18nKey: string; parameters: string[] } };
}

const ITEM = '00000000-0000-4000-8000-000000000001';
const BAD_INPUTS: Array<{
  what: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  status?: number;
  code: string;
}> = [
  {
    what: 'malformed JSON',
    path: `probe/items/${ITEM}`,
    body: '{"name": "x",',
    code: 'request.malformed_json',
  },
  { what: 'empty body', path: `probe/items/${ITEM}`, body: '', code: 'request.malformed_json' },
  { what: 'a JSON array', path: `probe/items/${ITEM}`, body: '[1,2]', code: 'request.invalid_input' },
  {
    what: 'an unknown field',
    path: `probe/items/${ITEM}`,
    body: '{"name":"x","count":1,"admin":true}',
    code: 'request.invalid_input',
  },
  {
    what: 'a wrong type',
    path: `probe/items/${ITEM}`,
    body: '{"name":"x","count":"many"}',
    code: 'request.invalid_input',
  },
  {
    what: 'a bad id',
    path: 'probe/items/not-a-uuid',
    body: '{"name":"x","count":1}',
    code: 'request.invalid_input',
  },
  {
    what: 'form data instead of JSON',
    path: `probe/items/${ITEM}`,
    body: 'name=x&count=1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'request.unsupported_media_type',
  },
];

describe('bad input on the admin API', () => {
  for (const input of BAD_INPUTS) {
    it(`answers ${input.status ?? 400} ${input.code} for ${input.what}, in the Admin API shape`, async () => {
      const response = await send('POST', `${ADMIN}/${input.path}`, input.body, input.headers);
      expect(response.status).toBe(input.status ?? 400);
      const error = await adminError(response);
      expect(error.code).toBe(input.code);
    });
  }

  it('names the offending field', async () => {
    const response = await send('POST', `${ADMIN}/probe/items/${ITEM}`, '{"name":"","count":1,"extra":1}');
    const error = await adminError(response);
    expect(error.details?.map((d) => d.path)).toEqual(expect.arrayContaining(['name']));
    expect(error.detail).toContain('extra');
  });

  it('refuses a body over 1 MiB with 413 before reading it', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES), count: 1 });
    const admin = await send('POST', `${ADMIN}/probe/items/${ITEM}`, big);
    expect(admin.status).toBe(413);
    expect(await adminError(admin)).toMatchObject({
      code: 'request.payload_too_large',
      adminCode: 'ADMIN-413-1',
    });
    const jsm = await send('POST', `${JSM}/probe/items/${ITEM}`, big);
    expect(jsm.status).toBe(413);
    expect((await jsmError(jsm)).i18nErrorMessage.i18nKey).toBe('request.payload_too_large');
  });

  it('answers a DB unique violation with 409 and the constraint’s code', async () => {
    const response = await send('POST', `${ADMIN}/probe/duplicate-email`);
    expect(response.status).toBe(409);
    expect(await adminError(response)).toMatchObject({
      code: 'directory.email_in_use',
      adminCode: 'ADMIN-409-28',
    });
  });

  it('hides the details of an unexpected error behind a 500 internal.error', async () => {
    const response = await send('GET', `${ADMIN}/probe/crash`);
    expect(response.status).toBe(500);
    const error = await adminError(response);
    expect(error).toMatchObject({
      code: 'internal.error',
      adminCode: 'ADMIN-500-1',
      title: 'Internal error',
      detail: 'Internal server error.',
    });
    expect(JSON.stringify(error)).not.toContain('postgres://');
  });

  it('answers an unknown route with 404 and a wrong method with 404, never 500', async () => {
    expect((await adminError(await send('GET', `${ADMIN}/nothing`))).code).toBe('request.not_found');
    expect((await send('PATCH', `${ADMIN}/orgs`)).status).toBe(404);
  });
});

describe('bad input on the JSM REST API', () => {
  for (const input of BAD_INPUTS) {
    it(`answers ${input.status ?? 400} ${input.code} for ${input.what}, in the JSM shape`, async () => {
      const response = await send('POST', `${JSM}/${input.path}`, input.body, input.headers);
      expect(response.status).toBe(input.status ?? 400);
      expect((await jsmError(response)).i18nErrorMessage.i18nKey).toBe(input.code);
    });
  }

  it('lists the offending fields as i18n parameters', async () => {
    const response = await send('POST', `${JSM}/probe/items/${ITEM}`, '{"name":"x"}');
    expect((await jsmError(response)).i18nErrorMessage.parameters).toContain('count');
  });

  it('answers a DB unique violation with 409', async () => {
    const response = await send('POST', `${JSM}/probe/duplicate-email`);
    expect(response.status).toBe(409);
    expect((await jsmError(response)).i18nErrorMessage.i18nKey).toBe('directory.email_in_use');
  });

  it('hides the details of an unexpected error', async () => {
    const response = await send('GET', `${JSM}/probe/crash`);
    expect(response.status).toBe(500);
    expect((await jsmError(response)).errorMessage).toBe('Internal server error.');
  });
});

describe('bad input on real admin routes', () => {
  it('answers 400 for malformed JSON, unknown fields and a missing body when creating an API key', async () => {
    const { org, apiKey } = await buildTenant(server.services);
    const path = `/admin/v1/orgs/${org.id}/api-keys`;
    const cases: Array<[string | undefined, string]> = [
      ['{"name":', 'request.malformed_json'],
      ['{"name":"ci","scopes":["all"]}', 'request.invalid_input'],
      ['{"name":"ci","expires_at":"tomorrow"}', 'request.invalid_input'],
      ['{}', 'request.invalid_input'],
      ['"ci"', 'request.invalid_input'],
    ];
    for (const [body, code] of cases) {
      const response = await server.request('POST', path, { body: body ?? '', headers: bearer(apiKey) });
      expect(response.status, body).toBe(400);
      expect((await adminError(response)).code, body).toBe(code);
    }
  });

  it('answers 400 for a malformed query and 404 for a bad or foreign id, never 500', async () => {
    const { org, apiKey } = await buildTenant(server.services);
    for (const [path, status] of [
      [`/admin/v1/orgs/${org.id}/users?limit=-5`, 400],
      [`/admin/v1/orgs/${org.id}/groups?cursor=${'x'.repeat(600)}`, 400],
      [`/admin/v1/orgs/${'x'.repeat(65)}`, 400],
      ['/admin/v1/orgs/%E0%A4%A', 404],
      [`/admin/v1/orgs/${org.id}/api-keys/nope`, 404],
      ["/admin/v1/orgs/'%20or%201=1--", 404],
    ] as const) {
      const response = await server.request(path.endsWith('nope') ? 'DELETE' : 'GET', path, {
        headers: bearer(apiKey),
      });
      expect(response.status, path).toBe(status);
      await adminError(response);
    }
  });
});
