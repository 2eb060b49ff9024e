// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCustomer, buildTenant, TEST_PASSWORD } from '#src/test/factories/directory.ts';
import { type E2eServer, launchBrowser, newPage, screenshot, startE2eServer } from './helpers.ts';

/** Scenario 3: select 50, preview, confirm, watch the progress to the end, download the report. */
describe('bulk migration', () => {
  let server: E2eServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('migrates 50 selected customers with live progress and a report', async () => {
    const t = await buildTenant(server.services, 'centralized');
    for (let i = 0; i < 50; i++) {
      await buildCustomer(server.services, {
        orgId: t.org.id,
        siteId: t.site.id,
        email: `bulk${String(i).padStart(2, '0')}@customers.test`,
        displayName: `Bulk Customer ${String(i).padStart(2, '0')}`,
        password: null,
      });
    }
    const { page, context } = await newPage(browser, server.baseUrl);
    await page.goto('/admin');
    await page.getByLabel('Email').fill(t.admin.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
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
    expect(csv[0]).toContain('customer_id');
    expect(csv.slice(1).every((line) => line.includes('"succeeded"') && line.includes('"created"'))).toBe(
      true,
    );
    await context.close();
  });
});
