import type { Child } from 'hono/jsx';

/** One column of a `DataTable`: its header (text or markup) and how a row fills its cell. */
export interface Column<T> {
  header: Child;
  cell: (row: T) => Child;
  /** The key the list can be sorted by on this column (its header becomes a sort link). */
  sort?: string;
}

/** How a list is sorted, and the link that sorts it another way (a GET, so sorting works without JavaScript). */
export interface Sorting {
  key: string;
  descending: boolean;
  href: (key: string, descending: boolean) => string;
}

/** A sortable header: a link that sorts by the column (ascending first, then the other way), arrow and aria-sort. */
function SortHeader({ label, sortKey, sorting }: { label: Child; sortKey: string; sorting: Sorting }) {
  const current = sorting.key === sortKey;
  const next = current ? !sorting.descending : false;
  return (
    <th scope="col" aria-sort={current ? (sorting.descending ? 'descending' : 'ascending') : undefined}>
      <a class="sort" href={sorting.href(sortKey, next)}>
        {label}
        {current ? <span aria-hidden="true">{sorting.descending ? ' ▼' : ' ▲'}</span> : null}
      </a>
    </th>
  );
}

/**
 * The console's list table: a caption (hidden unless `showCaption`, screen readers still read it), one header row
 * of `scope="col"` cells (sort links on the columns that have a `sort` key when `sorting` is given), one row per
 * item, in a horizontally scrolling wrapper unless `wrap` is false.
 */
export function DataTable<T>({
  caption,
  showCaption = false,
  columns,
  rows,
  wrap = true,
  sorting,
}: {
  caption?: Child;
  showCaption?: boolean;
  columns: (Column<T> | false | null | undefined)[];
  rows: readonly T[];
  wrap?: boolean;
  sorting?: Sorting;
}) {
  const shown = columns.filter((column): column is Column<T> => Boolean(column));
  const table = (
    <table>
      {caption ? <caption class={showCaption ? undefined : 'visually-hidden'}>{caption}</caption> : null}
      <thead>
        <tr>
          {shown.map((column) =>
            sorting && column.sort ? (
              <SortHeader label={column.header} sortKey={column.sort} sorting={sorting} />
            ) : (
              <th scope="col">{column.header}</th>
            ),
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr>
            {shown.map((column) => (
              <td>{column.cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return wrap ? <div class="table-wrap">{table}</div> : table;
}

/**
 * Reads `?sort=<key>&dir=asc|desc` against the keys a list allows (anything else: the default), so a hand-edited
 * URL never reaches the database as a column name.
 */
export function readSort<K extends string>(
  query: (name: string) => string | undefined,
  keys: readonly K[],
  fallback: K,
  /** The direction when the URL names none (e.g. newest first). */
  fallbackDescending = false,
): { key: K; descending: boolean } {
  const asked = query('sort');
  const key = keys.find((k) => k === asked) ?? fallback;
  const dir = query('dir');
  return { key, descending: dir === 'desc' || (dir !== 'asc' && fallbackDescending) };
}

/** Query parameters that say where in a list a page is: a new order or filter starts again without them. */
const PAGE_PARAMS = ['page', 'after', 'before'];

/**
 * The link to the list at `url` (its path and query, e.g. the request's) with some parameters changed: a value
 * sets one, `undefined` drops it. Sorting, search and filters in the query stay as they are.
 */
export function listHref(url: string, changes: Record<string, string | undefined>): string {
  const here = new URL(url, 'http://list.invalid');
  const params = new URLSearchParams(here.search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) params.delete(name);
    else params.set(name, value);
  }
  const query = params.toString();
  return query ? `${here.pathname}?${query}` : here.pathname;
}

/**
 * How a list at `url` is sorted, with the header links every list shares: the same page, search and filters in
 * another order (`?sort=&dir=`), back at the first page.
 */
export function sortingAt(url: string, sort: { key: string; descending: boolean }): Sorting {
  const firstPage = Object.fromEntries(PAGE_PARAMS.map((name) => [name, undefined]));
  return {
    ...sort,
    href: (key, descending) => listHref(url, { ...firstPage, sort: key, dir: descending ? 'desc' : 'asc' }),
  };
}

/** A keyset position in a console URL (`?after=` / `?before=`): a row's sort value and id, opaque to the reader. */
export interface Keyset {
  key: string;
  id: string;
}

/** The URL form of a keyset position. */
export function encodeKeyset(position: Keyset): string {
  return Buffer.from(JSON.stringify([position.key, position.id])).toString('base64url');
}

/** Reads a keyset position back; anything else (a hand-edited URL) is no position: the first page. */
export function decodeKeyset(value: string | undefined): Keyset | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [key, id]: unknown[] = parsed;
      if (typeof key === 'string' && typeof id === 'string') return { key, id };
    }
  } catch {
    // Not ours: the first page.
  }
  return undefined;
}

/** The text "Showing 51–100 of 312 customers" (or "3 customers" when all fit on one page). */
export function countText(total: number, offset: number, shown: number, noun: [string, string]): string {
  const name = total === 1 ? noun[0] : noun[1];
  if (total === 0) return `No ${noun[1]}`;
  const all = `${total.toLocaleString('en')} ${name}`;
  if (offset === 0 && shown >= total) return all;
  if (shown === 0) return `None on this page (${all} in all)`;
  return `Showing ${(offset + 1).toLocaleString('en')}–${(offset + shown).toLocaleString('en')} of ${all}`;
}
