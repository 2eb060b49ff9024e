// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import { describe, expect, it } from 'vitest';
import { buildCustomer, buildTenant } from '#src/test/factories/directory.ts';
import { logInAt, screenshot, useE2eHarness } from './helpers.ts';

/** Customers in the run, each in a batch of its own (below): enough that it lasts several polls. */
const CUSTOMERS = 300;

/**
 * Issue 14 item 7: while a bulk migration runs, the task page's counts and bar grow in place (app.js polls
 * `progress.json`), then the finished section replaces the live one.
 */
describe('live progress of a bulk migration', () => {
  // One customer per batch transaction: a run of 300 then lasts several of the page's 750 ms polls however fast
  // batches get (in batches of 5, a faster PGlite finished it between two polls).
  const e2e = useE2eHarness({ env: { MIGRATION_BATCH_CUSTOMERS: '1' } });

  it('shows the counts and the bar growing while the task runs', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    for (let i = 0; i < CUSTOMERS; i++) {
      await buildCustomer(e2e.server.services, {
        orgId: t.org.id,
        siteId: t.site.id,
        email: `live${String(i).padStart(3, '0')}@customers.test`,
        displayName: `Live Customer ${String(i).padStart(3, '0')}`,
        password: null,
      });
    }
    const { page, context } = await e2e.newPage();
    // Every page of this context records each value the counts and the bar show, in the order shown (kept in
    // sessionStorage, so a reload would not lose it).
    await context.addInitScript(() => {
      const record = () => {
        const done = document.querySelector('[data-progress="done"]');
        const bar = document.querySelector('[data-progress="bar"]') as HTMLProgressElement | null;
        if (!done || !bar) return;
        const seen = JSON.parse(sessionStorage.getItem('progress-seen') ?? '[]') as number[][];
        const value = [Number(done.textContent), bar.value, bar.max];
        if (JSON.stringify(seen.at(-1)) !== JSON.stringify(value)) seen.push(value);
        sessionStorage.setItem('progress-seen', JSON.stringify(seen));
      };
      document.addEventListener('DOMContentLoaded', () => {
        record();
        new MutationObserver(record).observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
        });
      });
    });
    await logInAt(page, '/admin/login', t.admin.email);
    await page.goto(`/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers?limit=500`);
    await page.getByLabel('Select every customer on this page').check();
    await page.getByRole('button', { name: 'Migrate selected…' }).click();
    await page.getByRole('button', { name: `Migrate ${CUSTOMERS} customers` }).click();
    if (process.env.SCREENSHOTS === '1') {
      // A picture mid-run, when the run is slow enough to catch one (the checks below do not depend on it).
      const midRun = await page
        .waitForFunction(
          (total) => {
            const done = Number(document.querySelector('[data-progress="done"]')?.textContent);
            return done > total / 5 && done < total;
          },
          CUSTOMERS,
          { timeout: 30_000 },
        )
        .then(() => true)
        .catch(() => false);
      // The window only: the page lists all the customers, and a full-page picture of it mid-run is slow.
      if (midRun) await screenshot(page, 'admin-bulk-live-progress', { fullPage: false });
    }
    await page.locator('#task-progress[data-status="succeeded"]').waitFor({ timeout: 120_000 });
    await expect(page.locator('#task-progress').innerText()).resolves.toContain(
      `${CUSTOMERS} of ${CUSTOMERS} done (${CUSTOMERS} migrated`,
    );

    const seen = JSON.parse(
      (await page.evaluate(() => sessionStorage.getItem('progress-seen'))) ?? '[]',
    ) as number[][];
    const done = seen.map(([value]) => value!);
    // Values strictly between the start and the end were shown while it ran, never going back, and the bar
    // always said what the text said.
    expect(done.filter((value) => value > 0 && value < CUSTOMERS).length).toBeGreaterThan(0);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(seen.every(([text, bar, max]) => text === bar && max === CUSTOMERS)).toBe(true);
    expect(done.at(-1)).toBe(CUSTOMERS);
    await context.close();
  });
});
