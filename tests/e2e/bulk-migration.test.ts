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
      .getByRole('link', { name: 'Portal-only customers' })
      .click();
    await page.getByRole('heading', { name: 'Portal-only customers' }).waitFor();

    // The bulk bar stays in view at the bottom of the window, counts the selection, and waits for one.
    const bar = page.getByRole('group', { name: 'Selected customers' });
    const inView = async () => {
      const box = (await bar.boundingBox())!;
      return box.y >= 0 && box.y + box.height <= page.viewportSize()!.height + 1;
    };
    await expect(inView()).resolves.toBe(true);
    await expect(page.getByTestId('bulk-count').innerText()).resolves.toBe('0 selected');
    await expect(page.getByRole('button', { name: 'Migrate selected…' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('checkbox', { name: 'Select Bulk Customer 07' }).check();
    await expect(page.getByTestId('bulk-count').innerText()).resolves.toBe('1 selected');
    await page.getByLabel('Select every customer on this page').check();
    await expect(page.locator('input[name=customerId]:checked').count()).resolves.toBe(50);
    await expect(page.getByTestId('bulk-count').innerText()).resolves.toBe('50 selected');
    await page.mouse.wheel(0, 1200);
    await expect(inView()).resolves.toBe(true);
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
    // The finished page says what happens next and links to the people.
    await expect(page.getByTestId('next-steps').innerText()).resolves.toContain(
      '50 emails sent to set passwords',
    );

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
    // Each new account is a link to its page; Users lists them all.
    await page.locator('#task-progress tbody a').first().click();
    await page.getByRole('heading', { name: /^Bulk Customer/ }).waitFor();
    await page.goBack();
    await page.getByTestId('next-steps').getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await context.close();
  });
});
