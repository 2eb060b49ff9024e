import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eServer, launchBrowser, newPage, startE2eServer } from './helpers.ts';

describe('browser harness', () => {
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

  it('serves the admin sign-in page with the stylesheet and htmx', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    await page.goto('/admin/login');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/Log in/i);
    const css = await page.request.get('/assets/app.css');
    expect(css.ok()).toBe(true);
    const htmx = await page.request.get('/assets/htmx.min.js');
    expect(htmx.ok()).toBe(true);
    await context.close();
  });
});
