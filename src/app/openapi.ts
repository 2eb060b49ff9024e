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
      '(offset pages, `{errorMessage, i18nErrorMessage}`).',
  },
} as const;

/** The OpenAPI document, generated from the zod route schemas. */
export function buildOpenApiDocument(app: OpenAPIHono<AppEnv>) {
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
      'Browser session from a login route; writes must also send the session CSRF token as `X-CSRF-Token`.',
  });
  return app.getOpenAPIDocument(OPENAPI_INFO);
}
