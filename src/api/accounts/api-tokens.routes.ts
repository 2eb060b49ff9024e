import { createRoute, z } from '@hono/zod-openapi';
import type { ApiTokenRow } from '#src/db/queries/directory/api-tokens.queries.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '#src/domain/accounts/manage-api-tokens.ts';
import { clientIp } from '#src/web/client-ip.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { jsonBody } from '../pagination.ts';
import { errorsOf, SESSION_OR_BASIC, ZApiTokenView, ZPlainError } from './auth.schemas.ts';

const TAGS = ['Accounts: API tokens'];

function presentToken(token: ApiTokenRow, now: Date): z.infer<typeof ZApiTokenView> {
  return {
    id: token.id,
    label: token.label,
    status: token.revokedAt ? 'revoked' : token.expiresAt && token.expiresAt <= now ? 'expired' : 'active',
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}

const listRoute = createRoute({
  method: 'get',
  path: '/rest/auth/1/api-tokens',
  tags: TAGS,
  summary: 'List my API tokens',
  description: 'Newest first, revoked and expired ones included. Secrets are never shown again.',
  security: SESSION_OR_BASIC,
  responses: {
    200: {
      description: 'The tokens',
      content: { 'application/json': { schema: z.object({ data: z.array(ZApiTokenView) }) } },
    },
    ...errorsOf(ZPlainError, [401]),
  },
});

const createTokenRoute = createRoute({
  method: 'post',
  path: '/rest/auth/1/api-tokens',
  tags: TAGS,
  summary: 'Create an API token',
  description:
    'A personal token to use as HTTP Basic `email:token` on the REST APIs. The secret is in this response ' +
    'only; Gatehouse keeps its hash.',
  security: SESSION_OR_BASIC,
  request: {
    body: jsonBody(
      z
        .object({
          label: z.string().trim().min(1).max(100).describe('What the token is for.'),
          expiresAt: z.iso
            .datetime({ offset: true })
            .optional()
            .describe('ISO 8601; never expires if absent.'),
        })
        .strict()
        .openapi('CreateApiTokenRequest'),
    ),
  },
  responses: {
    201: {
      description: 'The token with its secret (shown once)',
      content: {
        'application/json': {
          schema: z.object({
            data: ZApiTokenView,
            secret: z.string().describe('Store it now: it cannot be shown again.'),
          }),
        },
      },
    },
    ...errorsOf(ZPlainError, [400, 401, 403]),
  },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/rest/auth/1/api-tokens/{tokenId}',
  tags: TAGS,
  summary: 'Revoke an API token',
  description: 'It stops working at once. Another account’s, unknown or already revoked token answers 404.',
  security: SESSION_OR_BASIC,
  request: {
    params: z.object({
      tokenId: z
        .string()
        .min(1)
        .max(64)
        .openapi({ param: { name: 'tokenId', in: 'path' } }),
    }),
  },
  responses: { 204: { description: 'Revoked' }, ...errorsOf(ZPlainError, [401, 403, 404]) },
});

export const apiTokensRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const services = c.get('services');
    const tokens = await listApiTokens(useCaseContext(c));
    const now = services.clock.now();
    return c.json({ data: tokens.map((t) => presentToken(t, now)) }, 200);
  })
  .openapi(createTokenRoute, async (c) => {
    const services = c.get('services');
    const body = c.req.valid('json');
    const { token, secret } = await createApiToken(useCaseContext(c), {
      label: body.label,
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
      ip: clientIp(c),
    });
    return c.json({ data: presentToken(token, services.clock.now()), secret }, 201);
  })
  .openapi(revokeRoute, async (c) => {
    await revokeApiToken(useCaseContext(c), {
      tokenId: c.req.valid('param').tokenId,
      ip: clientIp(c),
    });
    return c.body(null, 204);
  });
