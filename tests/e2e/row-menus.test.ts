import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildCustomer, buildTenant } from '#src/test/factories/directory.ts';
import { logInAt, useE2eHarness } from './helpers.ts';

/** The element a click at the middle of `target` would land on is `target` itself (or inside it): nothing covers it. */
function isOnTop(target: Locator): Promise<boolean> {
  return target.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && (hit === el || el.contains(hit));
  });
}

const menuOf = (page: Page, name: string) =>
  page.getByRole('row').filter({ hasText: name }).locator('details');

/** Issue 14 item 1: the ••• menus of a short customer list open fully, one at a time, and close like menus do. */
describe('row menus', () => {
  const e2e = useE2eHarness();

  async function openCustomers() {
    const t = await buildTenant(e2e.server.services, 'centralized');
    for (const name of ['Mia Menu', 'Noah Next']) {
      await buildCustomer(e2e.server.services, { orgId: t.org.id, siteId: t.site.id, displayName: name });
    }
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin/login', t.admin.email);
    await page.goto(`/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers`);
    return { page, context };
  }

  it('are not clipped by the table, close on an outside click and never stack', async () => {
    const { page, context } = await openCustomers();
    const mia = menuOf(page, 'Mia Menu');
    const noah = menuOf(page, 'Noah Next');
    await mia.locator('summary').click();
    const migrate = mia.getByRole('link', { name: /^Migrate to/ });
    await expect(isOnTop(migrate)).resolves.toBe(true);
    await expect(isOnTop(mia.getByRole('link', { name: 'Delete' }))).resolves.toBe(true);

    // Opening another row's menu closes the first. The open menu lies over the next row's ••• (it is on top, as
    // it must be), so reach that button as a keyboard user would: focus leaving the first menu closes it.
    await noah.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect(mia.getAttribute('open')).resolves.toBeNull();
    await expect(noah.getAttribute('open')).resolves.toBe('');
    // A click anywhere else closes it.
    await page.getByRole('heading', { level: 1 }).click();
    await expect(noah.getAttribute('open')).resolves.toBeNull();

    // The click on "Migrate…" lands on that customer's migration, not on the bulk button below the table.
    await mia.locator('summary').click();
    await migrate.click();
    await page.waitForURL(/\/jsm\/customers\/[^/]+\/migrate$/);
    await context.close();
  });

  it('work with the keyboard: Tab, Enter, arrows and Escape', async () => {
    const { page, context } = await openCustomers();
    const mia = menuOf(page, 'Mia Menu');
    const summary = mia.locator('summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect(mia.getAttribute('open')).resolves.toBe('');
    // Escape closes it and gives the focus back to the ••• button.
    await page.keyboard.press('Escape');
    await expect(mia.getAttribute('open')).resolves.toBeNull();
    await expect(summary.evaluate((el) => el === document.activeElement)).resolves.toBe(true);

    // Enter opens, Tab walks the items, Enter follows the focused one.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Change password');
    await page.keyboard.press('ArrowDown');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Edit full name');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/jsm\/customers\/[^/]+\/name$/);
    await context.close();
  });
});
