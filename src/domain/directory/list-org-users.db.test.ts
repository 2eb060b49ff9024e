import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberCursor, MemberSort } from '#src/db/queries/directory/org-memberships.queries.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { buildAccount, buildOrg } from '#src/test/factories/directory.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { listOrgUsers } from './list-org-users.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

type Order = { sort: MemberSort; descending: boolean; after?: MemberCursor; before?: MemberCursor };

/** One page of the console's users list, as the Users page asks for it. */
function page(orgId: string, order: Order, options: { limit?: number; search?: string } = {}) {
  return listOrgUsers(
    { services: server.services, actor: SYSTEM, tenant: { orgId } },
    { permission: 'users.view', limit: options.limit ?? 4, search: options.search, withTotal: true, order },
  );
}

/** Every page from the first, following the next page's cursor (as the "Next page" link does). */
async function walkForward(orgId: string, order: Omit<Order, 'after' | 'before'>, search?: string) {
  const pages: string[][] = [];
  let after: MemberCursor | undefined;
  for (;;) {
    const { users, total, offset } = await page(orgId, { ...order, after }, { search });
    expect(offset).toBe(pages.flat().length);
    pages.push(users.map((u) => u.account.email));
    if (offset + users.length >= total!) return { pages, total: total! };
    after = users.at(-1)!.cursor;
  }
}

/** Lower-cased, then by account id: the order the database keeps (names here are ASCII letters only). */
const expectedOrder = (
  people: { id: string; name: string; email: string }[],
  sort: MemberSort,
  descending: boolean,
) => {
  const sorted = [...people].sort((a, b) => {
    const ka = a[sort].toLowerCase();
    const kb = b[sort].toLowerCase();
    return ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return (descending ? sorted.reverse() : sorted).map((p) => p.email);
};

describe('the users list in name and email order, paged by keyset', () => {
  it('pages through every member once, in order, both ways, with counts', async () => {
    const org = await buildOrg(server.services);
    // Names that tie (case-insensitively) so the account id decides, and emails in another order.
    const names = ['mira', 'Adam', 'zoe', 'adam', 'Bea', 'ADAM', 'kurt', 'ola', 'Cem', 'yara', 'ines'];
    const people = [];
    for (const [i, name] of names.entries()) {
      people.push(
        await buildAccount(server.services, {
          orgId: org.id,
          name,
          email: `${String.fromCharCode(122 - i)}${i}@order.test`,
        }),
      );
    }
    for (const [sort, descending] of [
      ['name', false],
      ['name', true],
      ['email', false],
      ['email', true],
    ] as const) {
      const expected = expectedOrder(people, sort, descending);
      const { pages, total } = await walkForward(org.id, { sort, descending });
      expect(total).toBe(names.length);
      expect(pages.map((p) => p.length)).toEqual([4, 4, 3]);
      expect(pages.flat()).toEqual(expected);

      // Back from the last page with "Previous page": the same pages, with the same offsets.
      const { users: last } = await page(org.id, { sort, descending, after: undefined }, { limit: 100 });
      let before = last.find((u) => u.account.email === pages[2]![0])!.cursor;
      for (const n of [1, 0]) {
        const { users, offset } = await page(org.id, { sort, descending, before });
        expect(users.map((u) => u.account.email)).toEqual(pages[n]);
        expect(offset).toBe(n * 4);
        before = users[0]!.cursor;
      }
    }
  });

  it('members added while someone pages never show twice or push one off a page', async () => {
    const org = await buildOrg(server.services);
    for (const name of ['dora', 'egon', 'fritz', 'gus', 'hank', 'ida']) {
      await buildAccount(server.services, { orgId: org.id, name });
    }
    const first = await page(org.id, { sort: 'name', descending: false });
    expect(first.users.map((u) => u.account.name)).toEqual(['dora', 'egon', 'fritz', 'gus']);
    // A bulk migration adds people before and after the reader's place.
    await buildAccount(server.services, { orgId: org.id, name: 'anna' });
    await buildAccount(server.services, { orgId: org.id, name: 'zack' });
    const next = await page(org.id, { sort: 'name', descending: false, after: first.users.at(-1)!.cursor });
    expect(next.users.map((u) => u.account.name)).toEqual(['hank', 'ida', 'zack']);
    // Where the page sits is counted at the time it is read: one more person now comes before it.
    expect(next.offset).toBe(5);
    expect(next.total).toBe(8);
  });

  it('the search narrows the pages and the total; the order stays', async () => {
    const org = await buildOrg(server.services);
    for (const name of ['Paula', 'pablo', 'Quinn', 'pam', 'Rosa', 'Pia', 'paco']) {
      await buildAccount(server.services, {
        orgId: org.id,
        name,
        email: `${name.toLowerCase()}@search.test`,
      });
    }
    const { pages, total } = await walkForward(org.id, { sort: 'name', descending: true }, 'PA');
    expect(total).toBe(4);
    expect(pages.flat()).toEqual([
      'paula@search.test',
      'pam@search.test',
      'paco@search.test',
      'pablo@search.test',
    ]);
    // A search for `%` or `_` matches those characters only.
    const { users, total: none } = await page(org.id, { sort: 'name', descending: false }, { search: '%_' });
    expect(users).toEqual([]);
    expect(none).toBe(0);
  });
});
