// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import { describe, expect, it } from 'vitest';
import { grantProductAccess } from '#src/domain/directory/grant-product-access.ts';
import { migrateCustomerNow } from '#src/domain/migration/migrate-customer.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { buildAccount, buildCustomer, TEST_PASSWORD } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildDeskTenant } from '#src/test/factories/servicedesk.ts';
import { extractLink, lastMailTo } from '#src/test/helpers/outbox.ts';
import { logInAt, submitLogIn, useE2eHarness } from './helpers.ts';

/** Issue 14 items 3, 4 and 10: each person lands where they work; the portal explains the two confusing cases. */
describe('after logging in', () => {
  const e2e = useE2eHarness();

  it('an admin lands on the console, an agent on the queue, a customer on the help center', async () => {
    const t = await buildDeskTenant(e2e.server.services, { access: 'open' });
    const customerAccount = await buildAccount(e2e.server.services, {
      orgId: t.org.id,
      siteUserOn: [t.site.id],
    });

    const agent = await e2e.newPage();
    await logInAt(agent.page, '/admin/login', t.agent.account.email);
    await agent.page.waitForURL(`**/sites/${t.site.name}/agent`);
    // From the portal login too, an agent of the site lands on its queue.
    const agentAtPortal = await e2e.newPage();
    await logInAt(agentAtPortal.page, `/sites/${t.site.name}/portal/login`, t.agent.account.email);
    await agentAtPortal.page.waitForURL(`**/sites/${t.site.name}/agent`);

    const admin = await e2e.newPage();
    await logInAt(admin.page, '/admin/login', t.admin.email);
    await admin.page.waitForURL(`**/admin/o/${t.org.id}`);

    const customer = await e2e.newPage();
    await logInAt(customer.page, '/admin/login', customerAccount.email);
    await customer.page.waitForURL(`**/sites/${t.site.name}/portal`);
    await customer.page.getByRole('heading', { name: 'Help center' }).waitFor();
    await expect(customer.page.getByRole('link', { name: 'open the queue' }).count()).resolves.toBe(0);
  });

  it('someone who is several of these chooses, and can switch from the queue and the help center', async () => {
    const t = await buildDeskTenant(e2e.server.services, { access: 'open' });
    // An org admin who also works the queue (the JSM agent role through a group).
    const both = await buildAccount(e2e.server.services, {
      orgId: t.org.id,
      orgAdmin: true,
      siteUserOn: [t.site.id],
    });
    await grantProductAccess(e2e.server.services, SYSTEM, {
      orgId: t.org.id,
      productId: t.jsm.id,
      accountId: both.id,
      role: 'user',
    });
    const { page } = await e2e.newPage();
    await logInAt(page, '/admin/login', both.email);
    await page.waitForURL(`**/admin/o/${t.org.id}`);
    await page.locator('a.org-switch').click();
    await page.getByRole('heading', { name: 'Where do you want to go?' }).waitFor();
    await page.getByRole('link', { name: `${t.site.name} queue` }).click();
    await page.waitForURL(`**/sites/${t.site.name}/agent`);
    await page.getByRole('link', { name: 'Switch' }).click();
    await page.getByRole('link', { name: `${t.site.name} help center` }).click();
    await page.getByRole('heading', { name: 'Help center' }).waitFor();
    await page.getByRole('link', { name: 'open the queue' }).click();
    await page.waitForURL(`**/sites/${t.site.name}/agent`);
  });

  it('a migrated customer typing the old password is told about the account, and the email stays filled in', async () => {
    const t = await buildDeskTenant(e2e.server.services, { access: 'open' });
    const { customer } = await buildCustomer(e2e.server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: 'moved@customers.test',
      displayName: 'Mo Moved',
    });
    await migrateCustomerNow(
      { services: e2e.server.services, actor: SYSTEM, tenant: { orgId: t.org.id, siteId: t.site.id } },
      {
        customerId: customer.id,
      },
    );
    const { page } = await e2e.newPage();
    await logInAt(page, `/sites/${t.site.name}/portal/login`, 'moved@customers.test', TEST_PASSWORD);
    const alert = page.getByRole('alert');
    await expect(alert.innerText()).resolves.toContain('That was your old help-center password');
    await expect(alert.innerText()).resolves.toContain('Set your password');
    // A wrong password that never was theirs gets the generic answer.
    await logInAt(
      page,
      `/sites/${t.site.name}/portal/login`,
      'moved@customers.test',
      'not the old one at all',
    );
    await expect(page.getByRole('alert').innerText()).resolves.not.toContain('old help-center password');

    // The link in the mail sets the password; the login form then has the email filled in.
    const mail = await lastMailTo(e2e.server.services, 'moved@customers.test', 'migration.set_password');
    await page.goto(extractLink(mail, '/account/set-password'));
    await page.getByLabel('New password').fill('a brand new password 42');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your password is set').waitFor();
    await expect(page.getByLabel('Email').inputValue()).resolves.toBe('moved@customers.test');
    await page.getByLabel('Password').fill('a brand new password 42');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Help center' }).waitFor();
  });

  it('a person with both a portal-only profile and an account sees the duplicate hint either way', async () => {
    const t = await buildDeskTenant(e2e.server.services, { access: 'open' });
    await buildDeskCustomer(e2e.server.services, t.site, t.desk.id, { email: 'twin@customers.test' });
    await buildAccount(e2e.server.services, {
      orgId: t.org.id,
      email: 'twin@customers.test',
      password: 'the account password 99',
    });
    // As the portal-only customer (the portal password).
    const asCustomer = await e2e.newPage();
    await logInAt(asCustomer.page, `/sites/${t.site.name}/portal/login`, 'twin@customers.test');
    await expect(asCustomer.page.getByTestId('duplicate-hint').innerText()).resolves.toContain(
      'You also have a Gatehouse account',
    );
    // As the account (its own password).
    const asAccount = await e2e.newPage();
    await asAccount.page.goto(`/sites/${t.site.name}/portal/login`);
    await submitLogIn(asAccount.page, 'twin@customers.test', 'the account password 99');
    await expect(asAccount.page.getByTestId('duplicate-hint').innerText()).resolves.toContain(
      'You also have a portal-only profile',
    );
  });
});
