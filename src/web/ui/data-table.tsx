import type { Child } from 'hono/jsx';

/** One column of a `DataTable`: its header (text or markup) and how a row fills its cell. */
export interface Column<T> {
  header: Child;
  cell: (row: T) => Child;
}

/**
 * The console's list table: a caption (hidden unless `showCaption`, screen readers still read it), one header row
 * of `scope="col"` cells, one row per item, in a horizontally scrolling wrapper unless `wrap` is false.
 */
export function DataTable<T>({
  caption,
  showCaption = false,
  columns,
  rows,
  wrap = true,
}: {
  caption?: Child;
  showCaption?: boolean;
  columns: (Column<T> | false | null | undefined)[];
  rows: readonly T[];
  wrap?: boolean;
}) {
  const shown = columns.filter((column): column is Column<T> => Boolean(column));
  const table = (
    <table>
      {caption ? <caption class={showCaption ? undefined : 'visually-hidden'}>{caption}</caption> : null}
      <thead>
        <tr>
          {shown.map((column) => (
            <th scope="col">{column.header}</th>
          ))}
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
