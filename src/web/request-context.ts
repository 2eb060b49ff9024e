import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ANONYMOUS } from '#src/domain/policies/actor.ts';
import type { AppServices } from '#src/domain/services.ts';
import { beginInteractiveWork } from '#src/shared/interactive-work.ts';
import type { AppEnv } from './http.ts';

/** Attaches services, a request id (echoed as `X-Request-Id`) and an anonymous actor; logs each request. */
export function requestContext(services: AppServices): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    c.set('services', services);
    c.set('requestId', requestId);
    c.set('actor', ANONYMOUS);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    // Background work (migrations) steps aside between its transactions while requests are served.
    const end = beginInteractiveWork();
    try {
      await next();
    } finally {
      end();
    }
    services.logger.debug(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  };
}
