import { describe, expect, it } from 'vitest';
import { useE2eHarness } from './helpers.ts';

describe('browser harness', () => {
  const e2e = useE2eHarness();

  it('serves the admin sign-in page with the stylesheet and htmx', async () => {
    const { context, page } = await e2e.newPage();
    await page.goto('/admin/login');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/Log in/i);
    const css = await page.request.get('/assets/app.css');
    expect(css.ok()).toBe(true);
    const htmx = await page.request.get('/assets/htmx.min.js');
    expect(htmx.ok()).toBe(true);
    await context.close();
  });
});
