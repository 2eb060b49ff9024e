import { describe, expect, it } from 'vitest';
import { buildCustomer, buildTenant, TEST_PASSWORD } from '#src/test/factories/directory.ts';
import { screenshot, useE2eHarness } from './helpers.ts';

/** The console on a phone: no horizontal scrolling of the page, the menu is reachable by keyboard. */
describe('readable on a phone', () => {
  const e2e = useE2eHarness();

  it('fits a 390 px wide screen and works with the keyboard', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    await buildCustomer(e2e.server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      displayName: 'Phoebe Phone',
    });
    const context = await e2e.browser.newContext({
      baseURL: e2e.server.baseUrl,
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await page.goto('/admin');
    // Keyboard only: Tab to the fields, type, Enter submits.
    await page.keyboard.press('Tab'); // skip link
    await page.getByLabel('Email').focus();
    await page.keyboard.type(t.admin.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/o\//);
    await page.goto(`/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const menu = page.getByRole('row').filter({ hasText: 'Phoebe Phone' }).locator('summary');
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(
      page.getByRole('link', { name: 'Migrate to a Gatehouse account' }).isVisible(),
    ).resolves.toBe(true);
    await screenshot(page, 'admin-row-menu-phone');
    await context.close();
  });
});
