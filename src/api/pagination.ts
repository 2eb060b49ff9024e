import { z } from '@hono/zod-openapi';
import { AppError } from '#src/shared/errors.ts';

/** Opaque cursors for Admin API pages: base64url of the last key of the previous page. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify({ k: key })).toString('base64url');
}

/** @throws {AppError} `request.invalid_input` (ADMIN-400-1, invalid page cursor) */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof parsed.k === 'string' || typeof parsed.k === 'number') return String(parsed.k);
  } catch {
    // fall through
  }
  throw new AppError('request.invalid_input', 'Invalid page cursor.', {
    details: [{ path: 'cursor', message: 'invalid' }],
  });
}

export const ZCursorQuery = z.object({
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ description: 'Cursor from `links.next` of the previous page.' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .openapi({ description: 'Page size, 1–100 (default 50).' }),
});

/**
 * Builds an Admin API page from `limit + 1` fetched rows: the extra row only says whether there is a next page.
 */
export function cursorPage<Row, Item>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => string | number,
  present: (row: Row) => Item,
  selfUrl: URL,
): { data: Item[]; links: { self: string; next?: string } } {
  const pageRows = rows.slice(0, limit);
  const links: { self: string; next?: string } = { self: selfUrl.pathname + selfUrl.search };
  if (rows.length > limit && pageRows.length > 0) {
    const next = new URL(selfUrl);
    next.searchParams.set('cursor', encodeCursor(keyOf(pageRows[pageRows.length - 1]!)));
    links.next = next.pathname + next.search;
  }
  return { data: pageRows.map(present), links };
}

/** The 200 response of a cursor-paged Admin API list: the `item`s in `data`, with `links.self` / `links.next`. */
export function cursorPageResponse<T extends z.ZodType>(description: string, item: T) {
  return {
    description,
    content: {
      'application/json': {
        schema: z.object({
          data: z.array(item),
          links: z.object({ self: z.string(), next: z.string().optional() }),
        }),
      },
    },
  };
}

export const ZAdminError = z
  .object({
    errors: z.array(
      z.object({
        id: z.string().optional(),
        status: z.string(),
        code: z.string().openapi({ description: 'Atlassian-style code, e.g. `ADMIN-404-2`' }),
        title: z.string().openapi({ description: 'Readable summary, e.g. "Organization not found"' }),
        detail: z.string(),
        meta: z.object({
          code: z.string().openapi({ description: 'Gatehouse’s own `area.reason` code' }),
          details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
          data: z.record(z.string(), z.unknown()).optional(),
        }),
      }),
    ),
  })
  .openapi('AdminError');

export const ZJsmError = z
  .object({
    errorMessage: z.string(),
    i18nErrorMessage: z.object({ i18nKey: z.string(), parameters: z.array(z.string()) }),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('JsmError');

/** Declares the usual error responses of a route, in the shape it really answers with. */
export function errorResponses(schema: typeof ZAdminError | typeof ZJsmError, statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: 'Invalid input',
    401: 'Not authenticated',
    403: 'Not allowed',
    404: 'Not found (or in another tenant)',
    409: 'Conflict',
    410: 'Gone',
    413: 'Too large',
    423: 'Locked',
    429: 'Too many requests',
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: descriptions[status] ?? 'Error', content: { 'application/json': { schema } } },
    ]),
  );
}

/**
 * Security requirement of authenticated routes: Bearer org API key or Basic email:api-token.
 * Typed as a plain record array; an inline literal of two differently keyed objects breaks route type inference.
 */
export const AUTHENTICATED: Array<Record<string, string[]>> = [{ bearer: [] }, { basic: [] }];
