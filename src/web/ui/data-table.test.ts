import { describe, expect, it } from 'vitest';
import {
  countText,
  DataTable,
  decodeKeyset,
  encodeKeyset,
  listHref,
  readSort,
  sortingAt,
} from './data-table.tsx';

describe('DataTable sorting and counts', () => {
  it('turns a sortable header into a link with aria-sort; a second click sorts the other way', async () => {
    const html = String(
      await DataTable({
        rows: [{ name: 'Ada' }],
        sorting: {
          key: 'name',
          descending: false,
          href: (key, desc) => `?sort=${key}&dir=${desc ? 'desc' : 'asc'}`,
        },
        columns: [
          { header: 'Name', sort: 'name', cell: (r) => r.name },
          { header: 'Email', sort: 'email', cell: () => '' },
          { header: 'Note', cell: () => '' },
        ],
      }),
    );
    expect(html).toContain(
      '<th scope="col" aria-sort="ascending"><a class="sort" href="?sort=name&amp;dir=desc">',
    );
    expect(html).toContain('<th scope="col"><a class="sort" href="?sort=email&amp;dir=asc">Email</a></th>');
    expect(html).toContain('<th scope="col">Note</th>');
  });

  it('reads only the allowed sort keys', () => {
    const query = (values: Record<string, string>) => (name: string) => values[name];
    expect(readSort(query({ sort: 'email', dir: 'desc' }), ['name', 'email'], 'name')).toEqual({
      key: 'email',
      descending: true,
    });
    expect(readSort(query({ sort: 'password_hash' }), ['name', 'email'], 'name')).toEqual({
      key: 'name',
      descending: false,
    });
  });

  it('sort links keep the search and filters and start again at the first page', () => {
    const sorting = sortingAt('http://h/admin/users?q=ann&status=active&after=abc&page=3&sort=name&dir=asc', {
      key: 'name',
      descending: false,
    });
    expect(sorting.href('email', false)).toBe('/admin/users?q=ann&status=active&sort=email&dir=asc');
    expect(sorting.href('name', true)).toBe('/admin/users?q=ann&status=active&sort=name&dir=desc');
    expect(listHref('/admin/users?q=ann', { after: 'x', q: undefined })).toBe('/admin/users?after=x');
    expect(listHref('/admin/users?q=ann', { q: undefined })).toBe('/admin/users');
  });

  it('a keyset position survives the URL; a hand-edited one means the first page', () => {
    const position = { key: 'zoë “quoted” & co', id: 'a1b2' };
    expect(decodeKeyset(encodeKeyset(position))).toEqual(position);
    expect(decodeKeyset('not-base64-json')).toBeUndefined();
    expect(decodeKeyset(Buffer.from('[1,2]').toString('base64url'))).toBeUndefined();
    expect(decodeKeyset(undefined)).toBeUndefined();
  });

  it('a list may default to newest first; the URL still decides', () => {
    const query = (values: Record<string, string>) => (name: string) => values[name];
    expect(readSort(query({}), ['created'], 'created', true).descending).toBe(true);
    expect(readSort(query({ sort: 'created', dir: 'asc' }), ['created'], 'created', true).descending).toBe(
      false,
    );
  });

  it('says how many there are and which ones show', () => {
    expect(countText(3, 0, 3, ['customer', 'customers'])).toBe('3 customers');
    expect(countText(1, 0, 1, ['customer', 'customers'])).toBe('1 customer');
    expect(countText(0, 0, 0, ['customer', 'customers'])).toBe('No customers');
    expect(countText(1234, 50, 50, ['customer', 'customers'])).toBe('Showing 51–100 of 1,234 customers');
    expect(countText(2, 100, 0, ['customer', 'customers'])).toBe('None on this page (2 customers in all)');
  });
});
