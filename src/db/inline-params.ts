import { createRequire } from 'node:module';

// node-postgres' own conversion of a JS value to its text form (Dates, Buffers, arrays, JSON), so an inlined value
// reaches the server exactly as the bound parameter would have.
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as {
  prepareValue(value: unknown): string | Buffer | null;
};

/** A JS value as an untyped SQL literal, the text node-postgres would bind for it. */
export function toLiteral(value: unknown): string {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return 'NULL';
  const text = Buffer.isBuffer(prepared) ? `\\x${prepared.toString('hex')}` : String(prepared);
  if (text.includes('\0')) throw new Error('A NUL character cannot be sent to PostgreSQL');
  // An untyped quoted literal, like an untyped bound parameter, takes its type from the context.
  // standard_conforming_strings is on (the default): only the quote needs doubling.
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Replaces the `$n` placeholders of `text` with literals of `values`, skipping quoted strings, quoted identifiers,
 * comments and dollar-quoted bodies. Used to send a parameterised query as one simple-protocol statement behind
 * another (the tenant's `set_config`) in a single round trip: the extended protocol allows one statement only.
 */
export function inlineParams(text: string, values: readonly unknown[]): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    const next = text[i + 1];
    let end = i + 1;
    if (ch === "'" || ch === '"') {
      end = text.indexOf(ch, i + 1);
      while (end !== -1 && text[end + 1] === ch) end = text.indexOf(ch, end + 2);
      end = end === -1 ? n : end + 1;
    } else if (ch === '-' && next === '-') {
      end = text.indexOf('\n', i);
      end = end === -1 ? n : end + 1;
    } else if (ch === '/' && next === '*') {
      end = text.indexOf('*/', i + 2);
      end = end === -1 ? n : end + 2;
    } else if (ch === '$') {
      const placeholder = /^\$(\d+)/.exec(text.slice(i, i + 12));
      const tag = placeholder ? undefined : /^\$[A-Za-z_]\w*\$|^\$\$/.exec(text.slice(i, i + 64));
      if (placeholder) {
        const index = Number(placeholder[1]) - 1;
        if (index < 0 || index >= values.length) throw new Error(`No value for placeholder $${index + 1}`);
        out += toLiteral(values[index]);
        i += placeholder[0].length;
        continue;
      }
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        end = close === -1 ? n : close + tag[0].length;
      }
    }
    out += text.slice(i, end);
    i = end;
  }
  return out;
}
