import type { MiddlewareHandler } from 'hono';
import { AppError } from '#src/shared/errors.ts';
import type { AppEnv } from './http.ts';

/** Path ids and names never hold control characters (a NUL would fail in the database): such paths are 404. */
export function assertPathValue<T extends string | undefined>(
  value: T,
  code: 'directory.org_not_found' | 'directory.site_not_found',
): T {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (value !== undefined && (/[\u0000-\u001f]/.test(value) || value.length > 200))
    throw new AppError(code, 'Not found.');
  return value;
}

/**
 * Browser pages take ids, names and search text from the URL; a NUL byte cannot reach PostgreSQL, so a URL holding
 * one (raw or percent-encoded) is answered as not found before any handler runs.
 */
export const rejectNulInUrl: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (/%00/i.test(c.req.url) || c.req.url.includes('\0'))
    throw new AppError('request.not_found', 'Not found.');
  return next();
};
