import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '#src/web/http.ts';

export const OPENAPI_INFO = {
  openapi: '3.0.3',
  info: {
    title: 'Gatehouse API',
    version: '0.1.0',
    description:
      'Service-desk identity platform. `/admin/v1|v2/…` follows the Atlassian Admin API (cursor pages, `{errors:[…]}`); ' +
      '`/sites/{site}/rest/servicedeskapi/…` and `/sites/{site}/rest/api/3/…` follow Jira Service Management and Jira ' +
      '(offset pages, `{errorMessage, i18nErrorMessage}`). Request bodies are limited to 1 MiB (413; attachment ' +
      'uploads to ATTACHMENT_MAX_BYTES per file, default 10 MiB), request headers to 16 KiB (431).',
  },
} as const;

type Responses = Record<string, { description: string; content?: unknown }>;
interface Operation {
  requestBody?: { content?: Record<string, unknown> };
  parameters?: unknown[];
  security?: Array<Record<string, string[]>>;
  responses: Responses;
}

/** The error schema of a path's surface (the error handler renders by path the same way). */
function errorSchemaOf(path: string): string {
  if (/^\/admin\/v\d+\//.test(path)) return 'AdminError';
  if (/^\/sites\/[^/]+\/rest\//.test(path)) return 'JsmError';
  return 'PlainError';
}

/**
 * Adds the answers every operation can give because of the shared middleware, so each operation declares them
 * without repeating them in every route: 400 (input validation) where it takes input, 413 (body limit) and 415
 * (a body that is not the declared media type) where it takes a body, 431 (headers too large, refused by Node's
 * HTTP server before any route runs) everywhere; and the session cookie wherever a Bearer or Basic caller is
 * accepted (the session middleware runs on every path but the login routes).
 */
function declareSharedAnswers(
  document: { paths?: Record<string, Record<string, unknown>> },
  maxBodyBytes: number,
) {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, value] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
      const operation = value as Operation;
      const json = {
        'application/json': { schema: { $ref: `#/components/schemas/${errorSchemaOf(path)}` } },
      };
      const add = (status: number, description: string, content: unknown = json) => {
        operation.responses[status] ??= { description, content };
      };
      if (operation.requestBody || operation.parameters?.length) add(400, 'Invalid input');
      if (operation.requestBody) {
        add(413, `Request body over ${maxBodyBytes} bytes`);
        add(415, 'Body not of the declared media type (send application/json)');
      }
      operation.responses[431] ??= {
        description:
          'Request headers over 16 KiB, refused by the HTTP server before any route runs (no body)',
      };
      const security = operation.security;
      if (security?.some((s) => 'bearer' in s || 'basic' in s) && !security.some((s) => 'cookie' in s)) {
        security.push({ cookie: [] });
        // A session-cookie write without its CSRF token is refused before the route runs.
        if (method !== 'get') add(403, 'Not allowed (or a session-cookie write without its CSRF token)');
      }
    }
  }
}

/** The OpenAPI document, generated from the zod route schemas. */
export function buildOpenApiDocument(app: OpenAPIHono<AppEnv>, limits: { maxBodyBytes: number }) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'Org API key (`gatehouse api-key create`).',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'basic', {
    type: 'http',
    scheme: 'basic',
    description: 'Account email and personal API token.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'gh_session',
    description:
      'Browser session from a login route: an account’s (`/rest/auth/1/login`) anywhere, a portal customer’s (`/sites/{site}/rest/portal-auth/1/login`) on that site’s JSM and Jira routes. Writes must also send the session CSRF token as `X-CSRF-Token`.',
  });
  const document = app.getOpenAPIDocument(OPENAPI_INFO);
  declareSharedAnswers(document as never, limits.maxBodyBytes);
  return document;
}
