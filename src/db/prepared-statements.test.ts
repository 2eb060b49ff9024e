import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreparedStatements, REPLAN_AFTER_MS } from './prepared-statements.ts';

// Long enough to be prepared; the padding is a comment, so the statement stays what it says.
const STATEMENT = `select n * $1::int as product from generate_series(1, $2::int) n /* ${'x'.repeat(300)} */`;

let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
});
afterAll(() => db.close());

function connection() {
  let now = 1_000_000;
  const sent: string[] = [];
  const statements = new PreparedStatements(() => now);
  const run = async (text: string, values: unknown[]) => {
    const execute = await statements.executeText(text, values, async (statement) => {
      sent.push(statement);
      await db.exec(statement);
    });
    return {
      execute,
      rows: (await db.query<{ product: number }>(execute ?? text, execute ? [] : values)).rows,
    };
  };
  const prepared = async () =>
    (await db.query<{ name: string }>('select name from pg_prepared_statements order by name')).rows.map(
      (r) => r.name,
    );
  return { run, sent, prepared, later: (ms: number) => (now += ms) };
}

describe('prepared statements', () => {
  it('prepares a long parameterized statement once, then only executes it with the values as literals', async () => {
    const c = connection();
    const first = await c.run(STATEMENT, [3, 2]);
    const second = await c.run(STATEMENT, [5, 3]);
    expect(first.rows.map((r) => r.product)).toEqual([3, 6]);
    expect(second.rows.map((r) => r.product)).toEqual([5, 10, 15]);
    expect(c.sent).toHaveLength(1);
    expect(second.execute).toMatch(/^execute gh_\w+\('5', '3'\)$/);
    expect(await c.prepared()).toHaveLength(1);
    await db.exec('deallocate all');
  });

  it('plans again after a while under a new name, dropping the old statement in the same round trip', async () => {
    const c = connection();
    await c.run(STATEMENT, [1, 1]);
    const [before] = await c.prepared();
    c.later(REPLAN_AFTER_MS + 1);
    const again = await c.run(STATEMENT, [2, 2]);
    expect(again.rows.map((r) => r.product)).toEqual([2, 4]);
    expect(c.sent).toHaveLength(2);
    expect(c.sent[1]).toMatch(new RegExp(`^prepare gh_\\w+ as .*; deallocate ${before}$`, 's'));
    const after = await c.prepared();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    await db.exec('deallocate all');
  });

  it('leaves short, unparameterized and unpreparable statements as they are', async () => {
    const c = connection();
    expect((await c.run('select $1::int as product', [7])).execute).toBeUndefined();
    expect(
      (await c.run(STATEMENT.replace('$1::int', '2').replace('$2::int', '2'), [])).execute,
    ).toBeUndefined();
    expect((await c.run(`explain ${STATEMENT}`, [1, 1])).execute).toBeUndefined();
    expect(c.sent).toEqual([]);
  });

  it('keeps the old statement when preparing it again fails, and drops that one on the next try', async () => {
    let now = 0;
    let fail = false;
    const sent: string[] = [];
    const statements = new PreparedStatements(() => now);
    const prepare = async (statement: string) => {
      if (fail) throw new Error('connection lost');
      sent.push(statement);
    };
    const first = await statements.executeText(STATEMENT, [1, 1], prepare);
    const oldName = /^execute (\w+)\(/.exec(first ?? '')?.[1];
    now += REPLAN_AFTER_MS + 1;
    fail = true;
    await expect(statements.executeText(STATEMENT, [1, 1], prepare)).rejects.toThrow('connection lost');
    fail = false;
    const next = await statements.executeText(STATEMENT, [1, 1], prepare);
    expect(sent.at(-1)).toMatch(new RegExp(`; deallocate ${oldName}$`));
    expect(next).not.toContain(`${oldName}(`);
  });

  it('with writesOnly, prepares a statement that writes (alone or inside a WITH) and leaves a read as it is', async () => {
    const sent: string[] = [];
    const statements = new PreparedStatements();
    const prepare = async (statement: string) => {
      sent.push(statement);
    };
    const pad = `/* ${'x'.repeat(300)} */`;
    const read = `select id from sites where id = $1 ${pad}`;
    const update = `update sites set name = name where id = $1 ${pad}`;
    const withDelete = `with gone as (delete from sessions where id = $1 returning id) select count(*) from gone ${pad}`;
    expect(await statements.executeText(read, ['a'], prepare, { writesOnly: true })).toBeUndefined();
    expect(await statements.executeText(update, ['a'], prepare, { writesOnly: true })).toMatch(/^execute /);
    expect(await statements.executeText(withDelete, ['a'], prepare, { writesOnly: true })).toMatch(
      /^execute /,
    );
    expect(sent).toHaveLength(2);
    expect(await statements.executeText(read, ['a'], prepare)).toMatch(/^execute /);
  });
});
