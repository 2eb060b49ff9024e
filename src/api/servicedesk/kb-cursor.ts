import { z } from '@hono/zod-openapi';
import { AppError } from '#src/shared/errors.ts';
import { decodeCursor, encodeCursor } from '../pagination.ts';

/**
 * @fileoverview Atlassian's knowledge-base search pages with `cursor` (from `_links.next` / `_links.prev`) and
 * `prev=true` (the page before the cursor) instead of the deprecated `start`, which still works. Here the cursor
 * carries the offset of the page it points at, opaque to clients.
 */

export const ZKbCursorQuery = z.object({
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ description: 'Cursor from `_links.next` or `_links.prev` of the previous page' }),
  prev: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'With `cursor`: the page before it (what `_links.prev` asks for)' }),
});

/**
 * The offset a query asks for: the cursor's page (the one before it with `prev=true`), else `start`.
 * @throws {AppError} `request.invalid_input` for a cursor that is not one of ours
 */
export function kbPageStart(query: {
  cursor?: string;
  prev?: 'true' | 'false';
  start: number;
  limit: number;
}) {
  if (!query.cursor) return query.start;
  const offset = Number(decodeCursor(query.cursor));
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new AppError('request.invalid_input', 'Invalid page cursor.', {
      details: [{ path: 'cursor', message: 'invalid' }],
    });
  return query.prev === 'true' ? Math.max(0, offset - query.limit) : offset;
}

/** Rewrites a page's `self`/`next`/`prev` links (offset links built by `paged`) as cursor links. */
export function withCursorLinks<
  P extends { start: number; limit: number; _links: { self: string; next?: string; prev?: string } },
>(page: P): P {
  const link = (offset: number, prev: boolean) => {
    const url = new URL(page._links.self);
    url.searchParams.delete('start');
    url.searchParams.delete('prev');
    url.searchParams.set('cursor', encodeCursor(prev ? page.start : offset));
    if (prev) url.searchParams.set('prev', 'true');
    return url.toString();
  };
  const { next, prev, self, ...links } = page._links;
  return {
    ...page,
    _links: {
      ...links,
      self: link(page.start, false),
      ...(next ? { next: link(page.start + page.limit, false) } : {}),
      ...(prev ? { prev: link(page.start, true) } : {}),
    },
  } as P;
}
