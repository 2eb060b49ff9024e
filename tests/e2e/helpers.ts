import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { boot, type Runtime } from '#src/app/boot.ts';
import { createApp, type GatehouseApp } from '#src/app/create-app.ts';
import type { AppServices } from '#src/domain/services.ts';
import { TEST_PASSWORD } from '#src/test/factories/directory.ts';
import { createTestDatabase } from '#src/test/helpers/database.ts';
import { testConfig } from '#src/test/helpers/test-env.ts';

/** The flags design.md §5 fixes for Debian's chromium on CI and on this machine. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface E2eServer {
  baseUrl: string;
  services: AppServices;
  runtime: Runtime;
  close(): Promise<void>;
}

/**
 * Gatehouse on a real port (0 = any free one) over a fresh test database, with job workers running (unless
 * `workers: false`: then a migration stays queued, for what a page offers while one is live).
 */
export async function startE2eServer(
  env: Record<string, string> = {},
  options: { workers?: boolean } = {},
): Promise<E2eServer> {
  const database = await createTestDatabase();
  const provisional = testConfig(env);
  const runtime = await boot(provisional, { database, startWorkers: options.workers ?? true });
  let app: GatehouseApp | undefined;
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: (req) => app!.fetch(req), hostname: '127.0.0.1', port: 0 }, () =>
      resolve(started),
    );
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  // Links in mail and pages use BASE_URL: point it at the real port.
  runtime.services.config = { ...runtime.services.config, BASE_URL: baseUrl };
  app = createApp(runtime.services);
  return {
    baseUrl,
    services: runtime.services,
    runtime,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close(2000);
    },
  };
}

/** Launches chromium with the fixed flags. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A fresh browser context (own cookies) whose relative `goto` paths resolve against the server. */
export async function newPage(
  browser: Browser,
  baseUrl: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/**
 * Saves full-page screenshots of the page as it stands to docs/screenshots: `<name>.png` at 1280×800 and
 * `<name>-phone.png` at 390×844 (same page, re-laid out), then restores the viewport. Only when SCREENSHOTS=1, so
 * CI stays clean; `npm run screenshots` walks every journey once with it.
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  const fullPage = options.fullPage ?? true;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  const phoneOnly = before.width <= PHONE.width;
  if (!phoneOnly) {
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage });
  }
  await page.setViewportSize(PHONE);
  // Let app.js re-place what depends on the width (open menus, the section navigation).
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
  await page.screenshot({
    path: join(SCREENSHOT_DIR, `${name}${phoneOnly ? '' : '-phone'}.png`),
    fullPage,
  });
  await page.setViewportSize(before);
}

/** The server and browser one test file shares; read them inside tests (they exist once `beforeAll` ran). */
export interface E2eHarness {
  readonly server: E2eServer;
  readonly browser: Browser;
  /** A fresh browser context (own cookies) on this file's server. */
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
}

/** Starts Gatehouse (with job workers unless `workers: false`) and chromium before the file's tests, and closes both after them. */
export function useE2eHarness(options: { workers?: boolean; env?: Record<string, string> } = {}): E2eHarness {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startE2eServer(options.env, options);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the e2e server starts in beforeAll');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the browser starts in beforeAll');
      return browser;
    },
    newPage() {
      return newPage(this.browser, this.server.baseUrl);
    },
  };
}

/** Fills the email + password sign-in form on the current page and submits it. */
export async function submitLogIn(page: Page, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Opens `path` (which shows the sign-in form to a visitor) and logs in there. */
export async function logInAt(
  page: Page,
  path: string,
  email: string,
  password = TEST_PASSWORD,
): Promise<void> {
  await page.goto(path);
  await submitLogIn(page, email, password);
}
