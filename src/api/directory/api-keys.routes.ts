import { createRoute, z } from '@hono/zod-openapi';
import { AUTHENTICATED, errorResponses, jsonBody, ZAdminError } from '#src/api/pagination.ts';
import type { ApiKeyRow } from '#src/db/queries/directory/api-keys.queries.ts';
import { createApiKey, listOrgApiKeys, revokeOrgApiKey } from '#src/domain/directory/api-keys.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { ZOrgId } from './directory.schemas.ts';

const ZKeyId = z
  .string()
  .min(1)
  .max(64)
  .openapi({ param: { name: 'keyId', in: 'path' }, description: 'API key id' });

export const ZApiKey = z
  .object({
    id: z.string(),
    name: z.string().describe('Label given at creation.'),
    status: z.enum(['active', 'expired', 'revoked']),
    created_at: z.string().describe('ISO 8601 time of creation.'),
    created_by: z.string().nullable().describe('Account that created it; null when created by the CLI.'),
    last_used_at: z.string().nullable().describe('Last use, updated at most once a minute.'),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi('ApiKey');

export const ZCreateApiKeyRequest = z
  .object({
    /** A label for the key, e.g. where it is used. */
    name: z.string().trim().min(1).max(100).describe('A label for the key, e.g. where it is used.'),
    /** When the key stops working; never when absent. */
    expires_at: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When the key stops working (ISO 8601); never when absent.'),
  })
  .strict()
  .openapi('CreateApiKeyRequest');

function presentApiKey(key: ApiKeyRow, now: Date): z.infer<typeof ZApiKey> {
  return {
    id: key.id,
    name: key.name,
    status: key.revokedAt ? 'revoked' : key.expiresAt && key.expiresAt <= now ? 'expired' : 'active',
    created_at: key.createdAt.toISOString(),
    created_by: key.createdBy,
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    expires_at: key.expiresAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
  };
}

const listKeys = createRoute({
  method: 'get',
  path: '/admin/v1/orgs/{orgId}/api-keys',
  tags: ['Admin: API keys'],
  summary: 'List API keys',
  description:
    'The org’s API keys, newest first, revoked and expired ones included. Secrets are never shown.',
  security: AUTHENTICATED,
  request: { params: z.object({ orgId: ZOrgId }) },
  responses: {
    200: {
      description: 'The keys',
      content: { 'application/json': { schema: z.object({ data: z.array(ZApiKey) }) } },
    },
    ...errorResponses(ZAdminError, [401, 403, 404]),
  },
});

const createKey = createRoute({
  method: 'post',
  path: '/admin/v1/orgs/{orgId}/api-keys',
  tags: ['Admin: API keys'],
  summary: 'Create an API key',
  description:
    'Creates an org API key (Bearer) that acts as an org admin of this org. The secret is in this response only; ' +
    'Gatehouse stores its hash.',
  security: AUTHENTICATED,
  request: {
    params: z.object({ orgId: ZOrgId }),
    body: jsonBody(ZCreateApiKeyRequest),
  },
  responses: {
    201: {
      description: 'The key, with its secret (shown once)',
      content: {
        'application/json': {
          schema: z.object({
            data: ZApiKey,
            secret: z.string().describe('The Bearer secret; store it now, it cannot be shown again.'),
          }),
        },
      },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const revokeKey = createRoute({
  method: 'delete',
  path: '/admin/v1/orgs/{orgId}/api-keys/{keyId}',
  tags: ['Admin: API keys'],
  summary: 'Revoke an API key',
  description: 'The key stops working at once. An unknown, already revoked or other org’s key answers 404.',
  security: AUTHENTICATED,
  request: { params: z.object({ orgId: ZOrgId, keyId: ZKeyId }) },
  responses: {
    204: { description: 'Revoked' },
    ...errorResponses(ZAdminError, [401, 403, 404]),
  },
});

export const apiKeysRoutes = createRouter()
  .openapi(listKeys, async (c) => {
    const services = c.get('services');
    const keys = await listOrgApiKeys(useCaseContext(c, { orgId: c.req.valid('param').orgId }));
    const now = services.clock.now();
    return c.json({ data: keys.map((key) => presentApiKey(key, now)) }, 200);
  })
  .openapi(createKey, async (c) => {
    const services = c.get('services');
    const body = c.req.valid('json');
    const { key, secret } = await createApiKey(useCaseContext(c, { orgId: c.req.valid('param').orgId }), {
      name: body.name,
      expiresAt: body.expires_at ? new Date(body.expires_at) : undefined,
    });
    return c.json({ data: presentApiKey(key, services.clock.now()), secret }, 201);
  })
  .openapi(revokeKey, async (c) => {
    const { orgId, keyId } = c.req.valid('param');
    await revokeOrgApiKey(useCaseContext(c, { orgId }), { keyId });
    return c.body(null, 204);
  });
