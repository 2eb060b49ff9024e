// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { grantProductAccess } from '#src/domain/directory/grant-product-access.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { buildAccount, buildCustomer, buildTenant } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildDeskTenant } from '#src/test/factories/servicedesk.ts';
import { logInAt, submitLogIn, useE2eHarness } from './helpers.ts';

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

  it('one name for the customers list, capitalised badges, no seat count on the free Customer role', async () => {
    for (const mode of ['centralized', 'original'] as const) {
      const t = await buildTenant(e2e.server.services, mode);
      const { page, context } = await e2e.newPage();
      await logInAt(page, '/admin/login', t.admin.email);
      await page.goto(`/admin/o/${t.org.id}/sites/${t.site.name}`);
      const nav = page.getByRole('navigation', { name: 'Section navigation' });
      await expect(nav.getByRole('link', { name: 'Portal-only customers' }).count()).resolves.toBe(1);
      await expect(nav.getByRole('link', { name: 'Portal customers' }).count()).resolves.toBe(0);
      await context.close();
    }
    const t = await buildTenant(e2e.server.services, 'centralized');
    const person = await buildAccount(e2e.server.services, { orgId: t.org.id, verified: false });
    await grantProductAccess(e2e.server.services, SYSTEM, {
      orgId: t.org.id,
      productId: t.jsm.id,
      accountId: person.id,
      role: 'customer',
    });
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin/login', t.admin.email);
    await page.goto(`/admin/o/${t.org.id}/directory/users/${person.id}`);
    const row = await page.getByRole('row').filter({ hasText: 'Customer' }).first().innerText();
    expect(row).toContain('Free, no seat');
    expect(row).not.toMatch(/\d+ of \d+/);
    const badges = await page.locator('main .badge').allInnerTexts();
    expect(badges.length).toBeGreaterThan(0);
    for (const badge of badges) expect(badge.charAt(0)).toBe(badge.charAt(0).toUpperCase());
    await context.close();
  });

  it('renders Markdown in portal requests, sanitized', async () => {
    const t = await buildDeskTenant(e2e.server.services, { access: 'open' });
    const { customer } = await buildDeskCustomer(e2e.server.services, t.site, t.desk.id);
    const { page, context } = await e2e.newPage();
    await page.goto(`/sites/${t.site.name}/portal/login`);
    await submitLogIn(page, customer.email!);
    await page.getByRole('link', { name: t.desk.portalName }).click();
    await page.getByRole('link', { name: 'Get IT help' }).click();
    await page.getByLabel('Summary').fill('VPN');
    await page.getByLabel('Description').fill('The **VPN** drops <script>window.hacked=1</script>');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Your request was sent').waitFor();
    const description = page.getByTestId('request-description');
    await expect(description.locator('strong').innerText()).resolves.toBe('VPN');
    await expect(description.innerText()).resolves.not.toContain('**');
    await expect(page.evaluate(() => (window as { hacked?: number }).hacked)).resolves.toBeUndefined();
    await context.close();
  });
});
