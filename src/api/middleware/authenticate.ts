import type { MiddlewareHandler } from 'hono';
import { authenticateApiKey } from '#src/domain/directory/api-keys.ts';
import type { AppEnv } from '../http.ts';

/**
 * Resolves the caller from the Authorization header. Bearer org API keys are resolved here; other schemes
 * (Basic email:api-token, session cookies) are added by the accounts area. An unknown credential leaves the
 * actor anonymous, and the route's guard answers 401.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header?.startsWith('Bearer ')) {
      const key = await authenticateApiKey(c.get('services'), header.slice(7).trim());
      if (key) c.set('actor', { type: 'api_key', apiKeyId: key.id, orgId: key.orgId });
    }
    await next();
  };
}
