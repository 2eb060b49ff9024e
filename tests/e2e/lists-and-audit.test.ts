// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildAccount, buildCustomer, buildTenant } from '#src/test/factories/directory.ts';
import { expectNoSeriousA11yViolations } from './a11y.ts';
import { logInAt, screenshot, useE2eHarness } from './helpers.ts';

/** The text of one column (1-based) in every body row of the page's first table. */
const column = (page: Page, n: number) =>
  page.locator(`main table tbody tr td:nth-child(${n})`).allInnerTexts();

const ariaSort = (page: Page, header: string) =>
  page.getByRole('columnheader', { name: header, exact: true }).getAttribute('aria-sort');

const sortedCopy = (values: string[], descending = false) => {
  const copy = [...values].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  return descending ? copy.reverse() : copy;
};

/** Issue 14 items 2, 6 and 10: sorted, counted lists; the audit log in names; the duplicate badge. */
describe('lists, audit trail and duplicates', () => {
  const e2e = useE2eHarness();

  it('the customers list sorts by its headers (mouse and keyboard), counts, pages and badges duplicates', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    const names = ['Mira', 'Adam', 'Zoe', 'Bea', 'Kurt', 'Ola', 'Cem', 'Yara', 'Ines', 'Luc'];
    for (let i = 0; i < 30; i++) {
      const name = `${names[i % names.length]} ${String.fromCharCode(65 + ((i * 7) % 26))}`;
      await buildCustomer(e2e.server.services, {
        orgId: t.org.id,
        siteId: t.site.id,
        displayName: name,
        email: `${String.fromCharCode(97 + ((i * 11) % 26))}${String(i).padStart(2, '0')}@list.test`,
        password: null,
      });
    }
    await buildAccount(e2e.server.services, {
      orgId: t.org.id,
      email: 'dana@dual.test',
      name: 'Dana Account',
    });
    await buildCustomer(e2e.server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: 'dana@dual.test',
      displayName: 'Dana Dual',
      password: null,
    });
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin/login', t.admin.email);
    await page.goto(`/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers?limit=25`);

    // Sorted by name to begin with, and counted.
    await expect(page.getByTestId('customers-count').innerText()).resolves.toBe(
      'Showing 1–25 of 31 customers',
    );
    await expect(ariaSort(page, 'Name')).resolves.toBe('ascending');
    const byName = (await column(page, 2)).map((cell) => cell.replace(/\s*Also has an account$/, ''));
    expect(byName).toEqual(sortedCopy(byName));

    // Email, ascending then descending (the whole list, not just this page: the first page starts with "a").
    await page.getByRole('link', { name: 'Email', exact: true }).click();
    await expect(ariaSort(page, 'Email')).resolves.toBe('ascending');
    await expect(ariaSort(page, 'Name')).resolves.toBe(null);
    const emails = await column(page, 3);
    expect(emails).toEqual(sortedCopy(emails));
    expect(emails[0]).toMatch(/^a/);
    await page.getByRole('link', { name: 'Email', exact: true }).click();
    await expect(ariaSort(page, 'Email')).resolves.toBe('descending');
    const down = await column(page, 3);
    expect(down).toEqual(sortedCopy(down, true));
    expect(down[0]).toMatch(/^z/);

    // The next page keeps the order and says where it is.
    await page.getByRole('link', { name: 'Next page' }).click();
    await expect(page.getByTestId('customers-count').innerText()).resolves.toBe(
      'Showing 26–31 of 31 customers',
    );
    await expect(ariaSort(page, 'Email')).resolves.toBe('descending');
    const rest = await column(page, 3);
    expect(rest).toEqual(sortedCopy(rest, true));
    expect(rest.at(-1)!.localeCompare(down[0]!)).toBeLessThan(0);

    // By keyboard: the Name header's link, focused, sorts on Enter.
    await page.getByRole('link', { name: 'Name', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=name/);
    await expect(ariaSort(page, 'Name')).resolves.toBe('ascending');
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'admin-customers-sorted');

    // The duplicate: a badge on its row links to the notice on its page.
    await page.goto(`/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers?q=dana`);
    const badge = page
      .getByRole('row')
      .filter({ hasText: 'Dana Dual' })
      .getByRole('link', {
        name: /also has an account/i,
      });
    await expect(page.getByRole('link', { name: /also has an account/i }).count()).resolves.toBe(1);
    await screenshot(page, 'admin-customers-duplicate-badge');
    await badge.click();
    await page.waitForURL(/#duplicate$/);
    await page.locator('#duplicate').getByText('This customer also has a Gatehouse account').waitFor();
    await context.close();
  });

  it('the groups list sorts and counts', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin/login', t.admin.email);
    await page.goto(`/admin/o/${t.org.id}/directory/groups`);
    await expect(page.getByTestId('groups-count').innerText()).resolves.toMatch(/^\d+ groups$/);
    const groups = await column(page, 1);
    expect(groups).toEqual(sortedCopy(groups));
    await page.getByRole('link', { name: 'Members', exact: true }).click();
    await expect(ariaSort(page, 'Members')).resolves.toBe('ascending');
    const members = (await column(page, 3)).map(Number);
    expect(members).toEqual([...members].sort((a, b) => a - b));
    await page.getByRole('link', { name: 'Members', exact: true }).click();
    await expect(ariaSort(page, 'Members')).resolves.toBe('descending');
    await expectNoSeriousA11yViolations(page);
    await context.close();
  });

  it('after a migration, the new account’s trail shows it; the audit log shows people with links', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    const { customer } = await buildCustomer(e2e.server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: 'nina@new.test',
      displayName: 'Nina New',
      password: null,
    });
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin/login', t.admin.email);
    await page.goto(`/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers/${customer.id}/migrate`);
    await page.getByRole('button', { name: 'Migrate' }).click();
    await page.locator('#task-progress[data-status="succeeded"]').waitFor({ timeout: 60_000 });

    // The new account's page, from the result's link: its trail starts with the migration.
    await page.locator('#task-progress tbody a').first().click();
    await page.getByRole('heading', { name: 'Nina New' }).waitFor();
    const trail = page.getByRole('region', { name: 'Audit trail' });
    await expect(trail.innerText()).resolves.not.toContain('No events about this user');
    const migrated = trail.getByRole('row').filter({ hasText: 'Customer migrated' });
    await expect(migrated.count()).resolves.toBe(1);
    // Who did it and to whom, by name, each a link.
    await expect(migrated.getByRole('link', { name: t.admin.name }).count()).resolves.toBe(1);
    await expect(migrated.getByRole('link', { name: 'Nina New' }).count()).resolves.toBeGreaterThan(0);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'admin-user-audit-trail');

    // The audit log: names and emails instead of raw ids, a total, links to the people.
    await page.goto(`/admin/o/${t.org.id}/audit`);
    await expect(page.getByTestId('audit-count').innerText()).resolves.toMatch(/^\d+ events, newest first/);
    const row = page.getByRole('row').filter({ hasText: 'Customer migrated' });
    await expect(row.innerText()).resolves.toContain(t.admin.email);
    await expect(row.innerText()).resolves.not.toContain(t.admin.id);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'admin-audit-log');
    await row.getByRole('link', { name: 'Nina New' }).first().click();
    await page.getByRole('heading', { name: 'Nina New' }).waitFor();

    // The site's migrations: counted, sortable, each linking to its page.
    await page
      .getByRole('navigation', { name: 'Section navigation' })
      .getByRole('link', { name: 'Migrations' })
      .click();
    await expect(page.getByTestId('tasks-count').innerText()).resolves.toBe('1 migration');
    await expect(ariaSort(page, 'Started (UTC)')).resolves.toBe('descending');
    const task = page.getByRole('row').filter({ hasText: 'Finished' });
    await expect(task.getByRole('cell').nth(3).innerText()).resolves.toBe('1');
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await expect(ariaSort(page, 'Customers')).resolves.toBe('ascending');
    await expectNoSeriousA11yViolations(page);
    await page.locator('main table tbody a').first().click();
    await page.locator('#task-progress[data-status="succeeded"]').waitFor();
    await context.close();
  });
});
