import type { MiddlewareHandler } from 'hono';
import { runInTenantOfPath } from '#src/domain/directory/tenant-of-path.ts';
import type { AppEnv } from './http.ts';

/**
 * Row-level security for the request (docs/ARCHITECTURE.md, "Tenancy"): once the caller is authenticated, the rest
 * of a request on an org's or a site's path runs scoped to that org, so a query that forgot its tenant filter
 * returns nothing of another org and cannot write into one. Paths of no tenant stay with the system scope.
 */
export function tenantScope(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!decodeSafely(c.req.path)) return next();
    await runInTenantOfPath(c.get('services'), c.req.path, () => next());
  };
}

function decodeSafely(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}
