// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import { describe, expect, it } from 'vitest';
import { migrateCustomerNow } from '#src/domain/migration/migrate-customer.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { buildCustomer, buildTenant } from '#src/test/factories/directory.ts';
import { logInAt, useE2eHarness } from './helpers.ts';

/** Issue 14 item 6: no dead ends after a migration. */
describe('after a migration', () => {
  const e2e = useE2eHarness();

  it('the customer page has actions; a migrated one links to its account, and its migrate URL says it is done', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    const { customer: live } = await buildCustomer(e2e.server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      displayName: 'Liv Live',
    });
    const { customer: moved } = await buildCustomer(e2e.server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      displayName: 'Max Moved',
    });
    const result = await migrateCustomerNow(
      { services: e2e.server.services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
      {
        customerId: moved.id,
      },
    );
    const { page, context } = await e2e.newPage();
    await logInAt(page, '/admin/login', t.admin.email);
    const customers = `/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers`;

    await page.goto(`${customers}/${live.id}`);
    const actions = page.getByRole('region', { name: 'Actions' });
    await actions.getByRole('link', { name: 'Edit full name' }).click();
    await page.waitForURL(/\/name$/);

    // The account it became, by name and email (not a bare id), linked to its page.
    await page.goto(`${customers}/${moved.id}`);
    const migratedTo = page.getByTestId('migrated-to');
    await expect(migratedTo.innerText()).resolves.toBe(`Max Moved\n${moved.email}`);
    await expect(migratedTo.innerText()).resolves.not.toContain(result.accountId);
    await migratedTo.getByRole('link', { name: 'Max Moved' }).click();
    await page.waitForURL(`**/directory/users/${result.accountId}`);

    // The old "Migrate…" link of a migrated customer offers no second migration.
    await page.goto(`${customers}/${moved.id}/migrate`);
    await expect(page.getByTestId('already-migrated').innerText()).resolves.toContain('already migrated');
    await expect(page.getByRole('button', { name: /^Migrate/ }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Open the account' }).click();
    await page.waitForURL(`**/directory/users/${result.accountId}`);
    await context.close();
  });
});
