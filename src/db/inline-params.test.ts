import { describe, expect, it } from 'vitest';
import { inlineParams } from './inline-params.ts';

describe('inlineParams (a scoped query sent behind its set_config in one round trip)', () => {
  it('replaces placeholders with quoted literals, doubling quotes, and NULL for null', () => {
    expect(inlineParams('select * from t where a = $1 and b = $2 and c = $3', ["O'Brien", 42, null])).toBe(
      "select * from t where a = 'O''Brien' and b = '42' and c = NULL",
    );
  });

  it('tells $1 from $10, and converts values as node-postgres binds them', () => {
    const values = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(inlineParams('select $10, $1', values)).toBe("select '10', '1'");
    expect(inlineParams('select $1, $2, $3', [true, ['a', 'b'], { k: 'v' }])).toBe(
      `select 'true', '{"a","b"}', '{"k":"v"}'`,
    );
    expect(inlineParams('select $1', [Buffer.from([1, 255])])).toBe("select '\\x01ff'");
  });

  it('leaves $n alone inside strings, quoted identifiers, comments and dollar quotes', () => {
    const text = `select '$1', "$1", $1 -- $1\n/* $1 */, $$ $1 $$, $tag$ $1 $tag$`;
    expect(inlineParams(text, ['x'])).toBe(
      `select '$1', "$1", 'x' -- $1\n/* $1 */, $$ $1 $$, $tag$ $1 $tag$`,
    );
  });

  it('refuses a placeholder without a value and a NUL character', () => {
    expect(() => inlineParams('select $2', ['x'])).toThrow(/\$2/);
    expect(() => inlineParams('select $1', ['a\0b'])).toThrow(/NUL/);
  });
});
