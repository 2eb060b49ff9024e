// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import { describe, expect, it } from 'vitest';
import { createRequest } from '#src/domain/servicedesk/create-request.ts';
import { buildTenant } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildServiceDesk } from '#src/test/factories/servicedesk.ts';
import { logInAt, screenshot, submitLogIn, useE2eHarness } from './helpers.ts';

/**
 * Scenario 1: the org admin opens the portal-only customers page along the seed's path (Products → the site →
 * Jira Service Management → Portal customers), migrates a customer and sees Inactive; the customer follows the
 * link from the outbox, sets a password, logs in with the account and sees all their old requests.
 */
describe('centralized migration end to end', () => {
  const e2e = useE2eHarness();

  it('migrates a customer who then logs in with the account and sees the old requests', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    const { desk, requestType } = await buildServiceDesk(e2e.server.services, t.site, { access: 'open' });
    const { actor } = await buildDeskCustomer(e2e.server.services, t.site, desk.id, {
      email: 'mia@customers.test',
      displayName: 'Mia Migrant',
    });
    const keys: string[] = [];
    for (const summary of ['VPN keeps dropping', 'New badge please']) {
      const { request } = await createRequest(
        { services: e2e.server.services, actor, tenant: { site: t.site } },
        {
          serviceDeskId: desk.id,
          requestTypeId: requestType.id,
          summary,
        },
      );
      keys.push(request.issueKey);
    }

    const admin = await e2e.newPage();
    const page = admin.page;
    await logInAt(page, '/admin', t.admin.email);
    await screenshot(page, 'admin-overview-centralized');
    // 2. Select Products from the header. 3. Select the site. 4. Jira Service Management → Portal customers.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Products' }).click();
    await page.locator('main').getByRole('link', { name: t.site.name }).click();
    const nav = page.getByRole('navigation', { name: 'Section navigation' });
    await expect(nav.innerText()).resolves.toContain('Jira Service Management');
    await nav.getByRole('link', { name: 'Portal-only customers' }).click();
    await page.getByRole('heading', { name: 'Portal-only customers' }).waitFor();
    await screenshot(page, 'admin-portal-only-customers');
    // 5. Next to the customer, select > Migrate to a Gatehouse account. 6. Select Migrate to confirm.
    const row = page.getByRole('row').filter({ hasText: 'Mia Migrant' });
    await row.locator('summary').click();
    await row.getByRole('link', { name: 'Migrate to a Gatehouse account' }).click();
    const main = await page.locator('main').innerText();
    expect(main).toContain('deactivate their portal-only profile');
    expect(main).toContain('assign a new user key');
    expect(main).toContain('‘Customer’ product role');
    expect(main).toContain(`jira-servicemanagement-customers-${t.site.name}`);
    await screenshot(page, 'admin-migrate-confirm');
    await page.getByRole('button', { name: 'Migrate' }).click();
    await page.locator('#task-progress[data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Back to the customers' }).click();
    await expect(page.getByRole('row').filter({ hasText: 'Mia Migrant' }).innerText()).resolves.toContain(
      'Inactive',
    );

    // The welcome mail is in the outbox (outbox mode); its link is followed by the customer.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
    await page
      .getByRole('navigation', { name: 'Section navigation' })
      .getByRole('link', { name: 'Mail outbox' })
      .click();
    const mail = page.locator('[data-testid="mail"][data-to="mia@customers.test"]').first();
    await mail.waitFor();
    await screenshot(page, 'admin-mail-outbox');
    const link = await mail.getByTestId('mail-link').first().getAttribute('href');
    expect(link).toContain('/account/set-password?token=');

    const customer = await e2e.newPage();
    await customer.page.goto(link!);
    await customer.page.getByLabel('New password').fill('a short one');
    await customer.page.getByRole('button', { name: 'Set password' }).click();
    await customer.page.locator('.field-error').waitFor();
    await customer.page.getByLabel('New password').fill('Tr0ubadour-and-three-horses');
    await customer.page.getByRole('button', { name: 'Set password' }).click();
    await customer.page.getByText('Your password is set. Log in with it.').waitFor();
    await submitLogIn(customer.page, 'mia@customers.test', 'Tr0ubadour-and-three-horses');
    await customer.page.getByRole('heading', { name: 'Help center' }).waitFor();
    await customer.page.getByRole('link', { name: 'Requests' }).click();
    for (const key of keys) await customer.page.getByRole('link', { name: key }).waitFor();
    await screenshot(customer.page, 'portal-requests-after-migration');
    await customer.page.getByRole('link', { name: 'Profile' }).click();
    await expect(customer.page.locator('main').innerText()).resolves.toContain('Gatehouse account');
    await admin.context.close();
    await customer.context.close();
  });
});
