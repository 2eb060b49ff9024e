// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCustomer, buildTenant } from '#src/test/factories/directory.ts';
import { logInAt, screenshot, useE2eHarness } from './helpers.ts';

/** Scenario 3: select 50, preview, confirm, watch the progress to the end, download the report. */
describe('bulk migration', () => {
  const e2e = useE2eHarness();

  it('migrates 50 selected customers with live progress and a report', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    for (let i = 0; i < 50; i++) {
      await buildCustomer(e2e.server.services, {
        orgId: t.org.id,
        siteId: t.site.id,
        email: `bulk${String(i).padStart(2, '0')}@customers.test`,
        displayName: `Bulk Customer ${String(i).padStart(2, '0')}`,
        password: null,
      });
    }
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin', t.admin.email);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Products' }).click();
    await page.locator('main').getByRole('link', { name: t.site.name }).click();
    await page
      .getByRole('navigation', { name: 'Section navigation' })
      .getByRole('link', { name: 'Portal customers' })
      .click();
    await page.getByRole('heading', { name: 'Portal-only customers' }).waitFor();

    await page.getByLabel('Select every customer on this page').check();
    await expect(page.locator('input[name=customerId]:checked').count()).resolves.toBe(50);
    await page.getByRole('button', { name: 'Migrate selected…' }).click();
    await page.getByText('Nothing has changed yet').waitFor();
    await expect(page.getByTestId('plan-create').innerText()).resolves.toBe('50');
    await expect(page.getByTestId('plan-refuse').innerText()).resolves.toBe('0');
    await screenshot(page, 'admin-bulk-preview');
    await page.getByRole('button', { name: 'Migrate 50 customers' }).click();

    // htmx polls the progress until the task ends.
    await page.locator('#task-progress[data-status="succeeded"]').waitFor({ timeout: 90_000 });
    await expect(page.getByTestId('task-status').innerText()).resolves.toBe('Finished');
    await expect(page.locator('#task-progress').innerText()).resolves.toContain('50 of 50 done (50 migrated');
    await screenshot(page, 'admin-bulk-progress');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download report (CSV)' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(csv).toHaveLength(51);
    expect(csv[0]).toContain('customerId');
    expect(csv.slice(1).every((line) => line.includes(',succeeded,created,'))).toBe(true);
    await context.close();
  });
});
