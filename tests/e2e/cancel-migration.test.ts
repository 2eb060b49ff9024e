// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import { describe, expect, it } from 'vitest';
import { startMigration } from '#src/domain/migration/start-migration.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { buildCustomer, buildTenant } from '#src/test/factories/directory.ts';
import { expectNoSeriousA11yViolations } from './a11y.ts';
import { logInAt, screenshot, useE2eHarness } from './helpers.ts';

/**
 * Issue 14 leftover: "Cancel the customers not started yet" asks first, like the console's other irreversible
 * actions. No job workers here, so the migration stays queued while the page is used.
 */
describe('cancelling a running migration', () => {
  const e2e = useE2eHarness({ workers: false });

  it('asks for a confirmation (by keyboard), can be kept, and then cancels the customers not started', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { customer } = await buildCustomer(e2e.server.services, {
        orgId: t.org.id,
        siteId: t.site.id,
        displayName: `Waiting Customer ${i}`,
        email: `waiting${i}@cancel.test`,
        password: null,
      });
      ids.push(customer.id);
    }
    const { task } = await startMigration(
      { services: e2e.server.services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
      { customerIds: ids },
    );
    const taskUrl = `/admin/o/${t.org.id}/sites/${t.site.name}/jsm/migrations/${task.id}`;
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin/login', t.admin.email);
    await page.goto(taskUrl);
    await expect(page.getByTestId('task-status').innerText()).resolves.toBe('Waiting to start');

    // By keyboard: the button, Enter → the question, nothing changed yet.
    await page.getByRole('button', { name: 'Cancel the customers not started yet' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Are you sure?' }).waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain(
      'The 3 customers not started yet won’t be migrated',
    );
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'admin-migration-cancel-confirm');

    // "Keep migrating" goes back to the task, still waiting.
    await page.getByRole('link', { name: 'Keep migrating' }).click();
    await page.waitForURL((url) => url.pathname === taskUrl);
    await expect(page.getByTestId('task-status').innerText()).resolves.toBe('Waiting to start');

    // Asked again and confirmed (Tab to the confirm button, Enter): cancelled, each customer shows it.
    await page.getByRole('button', { name: 'Cancel the customers not started yet' }).click();
    await page.getByRole('heading', { name: 'Are you sure?' }).waitFor();
    const confirm = page.getByRole('button', { name: 'Cancel 3 customers' });
    await confirm.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === taskUrl);
    await expect(page.getByTestId('task-status').innerText()).resolves.toBe('Cancelled');
    await page.getByLabel('Show').selectOption('cancelled');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await expect(page.getByTestId('items-count').innerText()).resolves.toBe('3 of 3 customers: cancelled');
    await context.close();
  });
});
