// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import { describe, expect, it } from 'vitest';
import { buildAccount, buildCustomer, buildSite, buildTenant } from '#src/test/factories/directory.ts';
import { logInAt, screenshot, useE2eHarness } from './helpers.ts';

/** Scenario 2: original experience; a site admin migrates on their site and has no migrate action elsewhere. */
describe('original experience: site admin migration', () => {
  const e2e = useE2eHarness();

  it('migrates on their own site and gets no migrate action on another', async () => {
    const t = await buildTenant(e2e.server.services, 'original');
    const other = await buildSite(e2e.server.services, t.org.id);
    const siteAdmin = await buildAccount(e2e.server.services, {
      orgId: t.org.id,
      siteAdminOf: [t.site.id],
      name: 'Sita Admin',
    });
    await buildCustomer(e2e.server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      displayName: 'Olive Original',
      email: 'olive@customers.test',
    });
    await buildCustomer(e2e.server.services, {
      orgId: t.org.id,
      siteId: other.site.id,
      displayName: 'Elsewhere Eve',
    });

    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin', siteAdmin.email);
    // Products → the site's Admin → Jira Service Management → (more) → Migrate to a Gatehouse account.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Products' }).click();
    await expect(page.locator('main').innerText()).resolves.not.toContain(other.site.name);
    await page.locator('main').getByRole('link', { name: t.site.name }).click();
    await page.getByRole('heading', { name: `${t.site.name} Admin` }).waitFor();
    await page
      .getByRole('navigation', { name: 'Section navigation' })
      .getByRole('link', { name: 'Jira Service Management' })
      .click();
    await page.getByRole('heading', { name: 'Portal-only customers' }).waitFor();
    await screenshot(page, 'admin-portal-only-customers-original');
    await page.getByRole('group').filter({ hasText: '•••' }).first().locator('summary').click();
    await page.getByRole('link', { name: 'Migrate to a Gatehouse account' }).click();
    await page.getByText('This can’t be undone.').waitFor();
    await page.getByRole('button', { name: 'Migrate' }).click();
    await page.locator('[data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Back to the customers' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Olive Original' });
    await expect(row.innerText()).resolves.toContain('Inactive');

    // Another site of the same org: not listed, and its customer page is refused without any action.
    const response = await page.goto(`/admin/o/${t.org.id}/sites/${other.site.name}/jsm/customers`);
    expect(response?.status()).toBe(403);
    const text = await page.locator('body').innerText();
    expect(text).not.toContain('Migrate to a Gatehouse account');
    expect(text).not.toContain('Elsewhere Eve');
    await context.close();
  });
});
