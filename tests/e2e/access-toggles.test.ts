// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildAccount, buildTenant } from '#src/test/factories/directory.ts';
import { expectNoSeriousA11yViolations } from './a11y.ts';
import { logInAt, screenshot, useE2eHarness } from './helpers.ts';

/** Presses Tab until the focused control matches (its role and name); fails after `max` presses. */
async function tabTo(page: Page, matches: (active: { name: string; role: string }) => boolean, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const active = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        name: (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim().replace(/\s+/g, ' '),
        role: el?.getAttribute('role') ?? el?.tagName.toLowerCase() ?? '',
      };
    });
    if (matches(active)) return;
  }
  throw new Error('the control was not reached by Tab');
}

/** Issue 14 item 5: the article's switch and "Restore access", and a confirmation before any access goes. */
describe('access toggles and confirmations', () => {
  const e2e = useE2eHarness();

  it('original: "Has access on site" is a switch; turning it off asks first, by keyboard', async () => {
    const t = await buildTenant(e2e.server.services, 'original');
    const olga = await buildAccount(e2e.server.services, { orgId: t.org.id, name: 'Olga Original' });
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin/login', t.admin.email);
    // The article: Product > Users, select a user, turn on "Has access on site".
    await page.goto(`/admin/o/${t.org.id}/sites/${t.site.name}/users/${olga.id}`);
    const toggle = page.getByRole('switch', { name: `Has access on site ${t.site.name}` });
    await expect(toggle.getAttribute('aria-checked')).resolves.toBe('true');
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'admin-site-access-switch');

    // Keyboard: Tab to the switch; Space asks, and Cancel keeps access; Enter asks, and confirming turns it off.
    await tabTo(page, (a) => a.role === 'switch');
    await page.keyboard.press('Space');
    await page.getByRole('heading', { name: 'Are you sure?' }).waitFor();
    const question = await page.locator('main').innerText();
    expect(question).toContain(`can no longer use the site ${t.site.name}`);
    expect(question).toContain('Only this site changes');
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'admin-confirm-site-access-off');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expect(toggle.getAttribute('aria-checked')).resolves.toBe('true');
    await expect(page.getByTestId(`site-access-${t.site.name}`).innerText()).resolves.toBe('On');

    await tabTo(page, (a) => a.role === 'switch');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Are you sure?' }).waitFor();
    await tabTo(page, (a) => a.name === `Turn off access on ${t.site.name}`);
    await page.keyboard.press('Enter');
    await page.getByText('Site access turned off.').waitFor();
    await expect(toggle.getAttribute('aria-checked')).resolves.toBe('false');
    await expect(page.getByTestId(`site-access-${t.site.name}`).innerText()).resolves.toBe('Off');

    // Turning access on gives it back at once: no question.
    await toggle.click();
    await page.getByText('Site access turned on.').waitFor();
    await expect(toggle.getAttribute('aria-checked')).resolves.toBe('true');
    await context.close();
  });

  it('centralized: Suspend access asks first and says it is organization access; Restore access gives it back', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    const cleo = await buildAccount(e2e.server.services, { orgId: t.org.id, name: 'Cleo Central' });
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin/login', t.admin.email);
    await page.goto(`/admin/o/${t.org.id}/directory/users`);
    await page.getByRole('link', { name: 'Show details of Cleo Central' }).click();
    // Nothing to restore yet: the page says so instead of offering a button that does nothing.
    const main = page.locator('main');
    await expect(main.innerText()).resolves.toContain('There is nothing to restore');
    await expect(page.getByRole('button', { name: 'Restore access' }).count()).resolves.toBe(0);

    await page.getByRole('button', { name: 'Suspend access…' }).click();
    await page.getByRole('heading', { name: 'Are you sure?' }).waitFor();
    const question = await main.innerText();
    expect(question).toContain('every site and product');
    expect(question).toContain('this is organization access');
    await screenshot(page, 'admin-confirm-suspend');
    // Nothing happened yet.
    await page.goto(`/admin/o/${t.org.id}/directory/users/${cleo.id}`);
    await expect(page.getByTestId('membership-status').innerText()).resolves.toBe('Active');

    await page.getByRole('button', { name: 'Suspend access…' }).click();
    await page.getByRole('button', { name: 'Suspend Cleo Central’s access' }).click();
    await page.getByText('Access suspended.').waitFor();
    await expect(page.getByTestId('membership-status').innerText()).resolves.toBe('Suspended');
    await expectNoSeriousA11yViolations(page);

    // The article's step: Directory > Users > the user > Restore access (no question: it gives access back).
    await page.getByRole('button', { name: 'Restore access' }).click();
    await page.getByText('Access restored.').waitFor();
    await expect(page.getByTestId('membership-status').innerText()).resolves.toBe('Active');
    await context.close();
  });

  it('removing a product role and revoking an API key ask first', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    const finn = await buildAccount(e2e.server.services, { orgId: t.org.id, name: 'Finn Product' });
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin/login', t.admin.email);
    await page.goto(`/admin/o/${t.org.id}/directory/users/${finn.id}`);
    await page.getByLabel('Product').selectOption(t.jsm.id);
    await page.getByLabel('Role').selectOption('user');
    await page.getByRole('button', { name: 'Grant access' }).click();
    await page.getByText('Product access granted.').waitFor();

    await page.getByRole('button', { name: /^Remove the User role on / }).click();
    await page.getByRole('heading', { name: 'Are you sure?' }).waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain('which frees a seat');
    await page.getByRole('button', { name: 'Remove the User role' }).click();
    await page.getByText('Product access removed.').waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain('No product access.');

    await page.goto(`/admin/o/${t.org.id}/api-keys`);
    await page.getByLabel('Name').fill('Nightly sync');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('api-key-secret').waitFor();
    await page.getByRole('button', { name: 'Revoke Nightly sync' }).click();
    await page.getByRole('heading', { name: 'Are you sure?' }).waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain('This can’t be undone');
    await expectNoSeriousA11yViolations(page);
    await page.getByRole('button', { name: 'Revoke Nightly sync' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await expect(
      page.getByRole('row').filter({ hasText: 'Nightly sync' }).getByRole('cell').last().innerText(),
    ).resolves.toBe('Revoked');
    await context.close();
  });
});
