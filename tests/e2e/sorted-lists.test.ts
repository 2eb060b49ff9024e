// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { migrateCustomerNow } from '#src/domain/migration/migrate-customer.ts';
import { startMigration } from '#src/domain/migration/start-migration.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { buildAccount, buildCustomer, buildTenant } from '#src/test/factories/directory.ts';
import { expectNoSeriousA11yViolations } from './a11y.ts';
import { logInAt, screenshot, useE2eHarness } from './helpers.ts';

/** The text of one column (1-based) in every body row of the table with this caption. */
const column = (page: Page, caption: string, n: number) =>
  page
    .locator('main table')
    .filter({ has: page.locator('caption', { hasText: caption }) })
    .locator(`tbody tr td:nth-child(${n})`)
    .allInnerTexts();

const ariaSort = (page: Page, header: string) =>
  page.getByRole('columnheader', { name: header, exact: true }).getAttribute('aria-sort');

/** Lower-cased, as the lists compare (the names and emails here are plain ASCII letters and digits). */
const sortedCopy = (values: string[], descending = false) => {
  const copy = [...values].sort((a, b) =>
    a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0,
  );
  return descending ? copy.reverse() : copy;
};

/** Issue 14 leftovers: the users list and a migration's per-customer table sort, filter and page; accounts by name. */
describe('sorted lists and migrated accounts by name', () => {
  const e2e = useE2eHarness();

  it('Directory → Users sorts by name and email (mouse and keyboard), keeps the order across pages and search', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    const first = ['mira', 'Adam', 'zoe', 'bea', 'Kurt', 'ola', 'cem', 'Yara', 'ines', 'luc', 'Nora'];
    for (let i = 0; i < 55; i++) {
      await buildAccount(e2e.server.services, {
        orgId: t.org.id,
        name: `${first[i % first.length]} ${String.fromCharCode(65 + ((i * 7) % 26))}son`,
        email: `${String.fromCharCode(97 + ((i * 11) % 26))}${String(i).padStart(2, '0')}@people.test`,
        password: null,
      });
    }
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin/login', t.admin.email);
    await page.goto(`/admin/o/${t.org.id}/directory/users`);

    // By name to begin with, counted, on the first of two pages.
    await expect(page.getByTestId('users-count').innerText()).resolves.toBe('Showing 1–50 of 56 users');
    await expect(ariaSort(page, 'Name')).resolves.toBe('ascending');
    const names = await column(page, 'Users', 1);
    expect(names).toHaveLength(50);
    expect(names).toEqual(sortedCopy(names));

    // Email by mouse: ascending; then by keyboard (Tab reaches the header's link, Enter sorts): descending.
    await page.getByRole('link', { name: 'Email', exact: true }).click();
    await expect(ariaSort(page, 'Email')).resolves.toBe('ascending');
    await expect(ariaSort(page, 'Name')).resolves.toBe(null);
    const emailsUp = await column(page, 'Users', 2);
    expect(emailsUp).toEqual(sortedCopy(emailsUp));
    await page.getByRole('link', { name: 'Name', exact: true }).focus();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toMatch(/^Email/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/dir=desc/);
    await expect(ariaSort(page, 'Email')).resolves.toBe('descending');
    const firstPage = await column(page, 'Users', 2);
    expect(firstPage).toEqual(sortedCopy(firstPage, true));
    expect(firstPage[0]).toMatch(/^z/);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'admin-users-sorted');

    // The next page keeps the order: the rest, none twice, none skipped; the previous page is the first again.
    await page.getByRole('link', { name: 'Next page' }).click();
    await expect(page.getByTestId('users-count').innerText()).resolves.toBe('Showing 51–56 of 56 users');
    await expect(ariaSort(page, 'Email')).resolves.toBe('descending');
    const secondPage = await column(page, 'Users', 2);
    expect(secondPage).toHaveLength(6);
    const all = [...firstPage, ...secondPage];
    expect(new Set(all).size).toBe(56);
    expect(all).toEqual(sortedCopy(all, true));
    await page.getByRole('link', { name: 'Previous page' }).click();
    await expect(page.getByTestId('users-count').innerText()).resolves.toBe('Showing 1–50 of 56 users');
    await expect(column(page, 'Users', 2)).resolves.toEqual(firstPage);

    // A search keeps the order and counts the matches.
    await page.getByLabel('Search by name or email').fill('ADAM');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=ADAM/);
    await expect(ariaSort(page, 'Email')).resolves.toBe('descending');
    await expect(page.getByTestId('users-count').innerText()).resolves.toBe('5 matching “ADAM”');
    const found = await column(page, 'Users', 2);
    expect(found).toEqual(sortedCopy(found, true));
    expect(await column(page, 'Users', 1)).toSatisfy((rows: string[]) =>
      rows.every((n) => n.startsWith('Adam')),
    );
    // Sorting the matches by name keeps the search.
    await page.getByRole('link', { name: 'Name', exact: true }).click();
    await expect(ariaSort(page, 'Name')).resolves.toBe('ascending');
    await expect(page.getByTestId('users-count').innerText()).resolves.toBe('5 matching “ADAM”');
    await context.close();
  });

  it('a migration’s per-customer table sorts and filters by status; accounts show by name, linked', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    const ids: string[] = [];
    for (const [name, email] of [
      ['Walt Fine', 'walt@table.test'],
      ['Anna Fine', 'anna@table.test'],
      ['Otto Twin', 'otto@table.test'],
      ['Carl Fine', 'carl@table.test'],
      ['Bert Twin', 'bert@table.test'],
    ]) {
      const { customer } = await buildCustomer(e2e.server.services, {
        orgId: t.org.id,
        siteId: t.site.id,
        displayName: name!,
        email: email!,
        password: null,
      });
      ids.push(customer.id);
    }
    // Two share their email with an unverified account, and the link is not confirmed: those two fail.
    for (const email of ['otto@table.test', 'bert@table.test']) {
      await buildAccount(e2e.server.services, { email, verified: false, password: null });
    }
    const { task } = await startMigration(
      { services: e2e.server.services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
      { customerIds: ids },
    );
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin/login', t.admin.email);
    await page.goto(`/admin/o/${t.org.id}/sites/${t.site.name}/jsm/migrations/${task.id}`);
    await page.locator('#task-progress[data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('items-count').innerText()).resolves.toBe('5 customers');
    // The selection's order to begin with; no column claims a sort.
    await expect(column(page, 'Per customer', 1)).resolves.toEqual([
      'Walt Fine',
      'Anna Fine',
      'Otto Twin',
      'Carl Fine',
      'Bert Twin',
    ]);
    await expect(ariaSort(page, 'Name')).resolves.toBe(null);

    // Only the failed ones, chosen by keyboard in the "Show" list.
    await page.getByLabel('Show').focus();
    await page.getByLabel('Show').selectOption('failed');
    await page.getByRole('button', { name: 'Show', exact: true }).press('Enter');
    await page.waitForURL(/show=failed/);
    await expect(page.getByTestId('items-count').innerText()).resolves.toBe('2 of 5 customers: failed');
    await expect(column(page, 'Per customer', 1)).resolves.toEqual(['Otto Twin', 'Bert Twin']);
    // Sorted by name, the filter stays.
    await page.getByRole('link', { name: 'Name', exact: true }).click();
    await expect(ariaSort(page, 'Name')).resolves.toBe('ascending');
    await expect(column(page, 'Per customer', 1)).resolves.toEqual(['Bert Twin', 'Otto Twin']);
    await expect(page.getByTestId('items-count').innerText()).resolves.toBe('2 of 5 customers: failed');
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'admin-migration-failed-only');

    // All of them again (the order stays), then by result: what failed first; then by email, by keyboard.
    await page.getByLabel('Show').selectOption('all');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(/show=all/);
    await expect(ariaSort(page, 'Name')).resolves.toBe('ascending');
    await expect(column(page, 'Per customer', 1)).resolves.toEqual([
      'Anna Fine',
      'Bert Twin',
      'Carl Fine',
      'Otto Twin',
      'Walt Fine',
    ]);
    await page.getByRole('link', { name: 'Result', exact: true }).click();
    await expect(ariaSort(page, 'Result')).resolves.toBe('ascending');
    const results = await column(page, 'Per customer', 3);
    expect(results.slice(0, 2).every((r) => r.startsWith('Failed'))).toBe(true);
    expect(results.slice(2).every((r) => r.startsWith('New account'))).toBe(true);
    await page.getByRole('link', { name: 'Email', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=email/);
    await expect(ariaSort(page, 'Email')).resolves.toBe('ascending');
    await expect(column(page, 'Per customer', 2)).resolves.toEqual([
      'anna@table.test',
      'bert@table.test',
      'carl@table.test',
      'otto@table.test',
      'walt@table.test',
    ]);

    // The account column: the new account's name and email, linking to its page (a failed link names the
    // unverified account that stopped it).
    const anna = page.getByRole('row').filter({ hasText: 'anna@table.test' });
    await expect(anna.getByRole('cell').nth(3).innerText()).resolves.toBe('Anna Fine\nanna@table.test');
    const otto = page.getByRole('row').filter({ hasText: 'Otto Twin' });
    await expect(otto.getByRole('cell').nth(3).innerText()).resolves.toMatch(/^User \w+\notto@table\.test$/);
    await anna.getByRole('link', { name: 'Anna Fine' }).click();
    await page.getByRole('heading', { name: 'Anna Fine' }).waitFor();

    // The migrated customer's page names the account too, and links to it.
    await page.goto(`/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers/${encodeURIComponent(ids[1]!)}`);
    const migratedTo = page.getByTestId('migrated-to');
    await expect(migratedTo.innerText()).resolves.toBe('Anna Fine\nanna@table.test');
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'admin-customer-migrated');
    await migratedTo.getByRole('link', { name: 'Anna Fine' }).click();
    await page.getByRole('heading', { name: 'Anna Fine' }).waitFor();
    await context.close();
  });

  it('the audit log is filtered by a person’s name or email; the user page’s id link still works', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    const { customer } = await buildCustomer(e2e.server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: 'petra@audit.test',
      displayName: 'Petra Portal',
      password: null,
    });
    await migrateCustomerNow(
      { services: e2e.server.services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
      { customerId: customer.id },
    );
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin/login', t.admin.email);
    await page.goto(`/admin/o/${t.org.id}/audit`);
    const rows = page.locator('main table tbody tr');

    // About: part of the email, typed, Enter: only the events about her, each person still a link.
    await page.getByLabel('About (name, email or id)').fill('PETRA@audit');
    await page.keyboard.press('Enter');
    await page.waitForURL(/target=PETRA/);
    await expect(rows.count()).resolves.toBeGreaterThan(0);
    await expect(rows.filter({ hasText: 'Customer migrated' }).count()).resolves.toBe(1);
    await expect(rows.filter({ hasNotText: /petra/i }).count()).resolves.toBe(0);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'admin-audit-search');

    // By: the admin's name finds what they did (they logged in), not the system's migration.
    await page.getByLabel('About (name, email or id)').fill('');
    await page.getByLabel('By (name, email or id)').fill(t.admin.name);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/actor=/);
    await expect(rows.filter({ hasText: 'Customer migrated' }).count()).resolves.toBe(0);
    await expect(rows.filter({ hasText: t.admin.email }).count()).resolves.toBeGreaterThan(0);

    // From the migrated account's page, "Open the audit log" (an id link) lists the migration.
    await page.goto(
      `/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers/${encodeURIComponent(customer.id)}`,
    );
    await page.getByTestId('migrated-to').getByRole('link').click();
    await page.getByRole('link', { name: 'Open the audit log' }).click();
    await page.waitForURL(/target=/);
    await expect(rows.filter({ hasText: 'Customer migrated' }).count()).resolves.toBe(1);
    await context.close();
  });
});
