import type { MiddlewareHandler } from 'hono';
import { withTenant } from '#src/db/tenant-scope.ts';
import { tenantOfPath } from '#src/domain/directory/tenant-of-path.ts';
import type { AppEnv } from './http.ts';

/**
 * Row-level security for the request (docs/ARCHITECTURE.md, "Tenancy"): once the caller is authenticated, the rest
 * of a request on an org's or a site's path runs scoped to that org, so a query that forgot its tenant filter
 * returns nothing of another org and cannot write into one. Paths of no tenant stay with the system scope.
 */
export function tenantScope(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const orgId = decodeSafely(c.req.path) && (await tenantOfPath(c.get('services'), c.req.path));
    if (!orgId) return next();
    await withTenant(orgId, () => next());
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
