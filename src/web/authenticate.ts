import type { MiddlewareHandler } from 'hono';
import { authenticateApiToken } from '#src/domain/accounts/api-tokens.ts';
import { authenticateApiKey } from '#src/domain/directory/api-keys.ts';
import type { AppEnv } from './http.ts';

function parseBasic(header: string): { user: string; secret: string } | undefined {
  try {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return undefined;
    return { user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  } catch {
    return undefined;
  }
}

/**
 * Resolves the caller from the Authorization header: Bearer org API key, or Basic `email:api-token`
 * (as Atlassian's REST APIs take them). Browser sessions are resolved by the session middleware.
 * An unknown credential leaves the actor anonymous, and the route's policy answers 401.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const services = c.get('services');
    if (header?.startsWith('Bearer ')) {
      const key = await authenticateApiKey(services, header.slice(7).trim());
      if (key) c.set('actor', { type: 'api_key', apiKeyId: key.id, orgId: key.orgId });
    } else if (header?.startsWith('Basic ')) {
      const basic = parseBasic(header);
      const resolved = basic && (await authenticateApiToken(services, basic.user, basic.secret));
      if (resolved) {
        c.set('actor', {
          type: 'account',
          accountId: resolved.account.id,
          email: resolved.account.email,
          via: 'api_token',
        });
      }
    }
    await next();
  };
}
