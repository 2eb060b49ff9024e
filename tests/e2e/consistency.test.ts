import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildCustomer, buildTenant } from '#src/test/factories/directory.ts';
import { logInAt, useE2eHarness } from './helpers.ts';

/** The vertical middle of an element's box, in CSS pixels. */
async function middleOf(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not visible');
  return box.y + box.height / 2;
}

/** Issue 14 item 8: one line for the header, one case for badges, the right names, a phone layout that reads. */
describe('consistency', () => {
  const e2e = useE2eHarness();

  it('the header keeps "Log out" on the navigation line, and a phone shows the content first', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    await buildCustomer(e2e.server.services, { orgId: t.org.id, siteId: t.site.id });
    const { page, context } = await e2e.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await logInAt(page, '/admin/login', t.admin.email);
    await page.goto(`/admin/o/${t.org.id}/directory/users`);
    const tab = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Directory' });
    const logOut = page.getByRole('button', { name: /^Log out/ });
    expect(Math.abs((await middleOf(tab)) - (await middleOf(logOut)))).toBeLessThanOrEqual(2);

    // On a phone the section navigation is one short line and the page's heading is in the first screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers`);
    const nav = page.getByRole('navigation', { name: 'Section navigation' });
    expect((await nav.boundingBox())!.height).toBeLessThanOrEqual(60);
    const heading = (await page.getByRole('heading', { level: 1 }).boundingBox())!;
    expect(heading.y + heading.height).toBeLessThan(844 / 2);
    // The current page's link is scrolled into view in that line.
    const current = nav.locator('a[aria-current=page]');
    const box = (await current.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await context.close();
  });
});
