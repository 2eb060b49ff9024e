import { describe, it } from 'vitest';
import { buildCustomer } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildDeskTenant } from '#src/test/factories/servicedesk.ts';
import { expectNoSeriousA11yViolations } from './a11y.ts';
import { logInAt, submitLogIn, useE2eHarness } from './helpers.ts';

/** axe-core on the key pages of each journey: no serious or critical WCAG 2.1 A/AA violation. */
describe('accessibility of the key pages', () => {
  const e2e = useE2eHarness();

  it('console, migration, portal and agent pages pass axe-core', async () => {
    const t = await buildDeskTenant(e2e.server.services, { access: 'open' });
    const { customer } = await buildDeskCustomer(e2e.server.services, t.site, t.desk.id, {
      email: 'ada@customers.test',
      displayName: 'Ada Axe',
    });
    await buildCustomer(e2e.server.services, { orgId: t.org.id, siteId: t.site.id, displayName: 'Ben Bulk' });

    // Portal: login, raise a request, the request list and its detail.
    const cust = await e2e.newPage();
    await cust.page.goto(`/sites/${t.site.name}/portal/login`);
    await expectNoSeriousA11yViolations(cust.page);
    await submitLogIn(cust.page, customer.email!);
    await cust.page.getByRole('heading', { name: 'Help center' }).waitFor();
    await expectNoSeriousA11yViolations(cust.page);
    await cust.page.getByRole('link', { name: t.desk.portalName }).click();
    await cust.page.getByRole('link', { name: 'Get IT help' }).click();
    await cust.page.getByLabel('Summary').fill('VPN drops every hour');
    await cust.page.getByLabel('Description').fill('The **VPN** drops.');
    await cust.page.getByRole('button', { name: 'Send' }).click();
    await cust.page.getByText('Your request was sent').waitFor();
    await expectNoSeriousA11yViolations(cust.page);
    await cust.page.goto(`/sites/${t.site.name}/portal/requests`);
    await expectNoSeriousA11yViolations(cust.page);

    // Agent: the queue and one request.
    const agent = await e2e.newPage();
    await logInAt(agent.page, `/sites/${t.site.name}/agent`, t.agent.account.email);
    await agent.page.getByRole('link', { name: /-1$/ }).first().waitFor();
    await expectNoSeriousA11yViolations(agent.page);
    await agent.page.getByRole('link', { name: /-1$/ }).first().click();
    await agent.page.getByLabel('Comment').waitFor();
    await expectNoSeriousA11yViolations(agent.page);

    // Console: lists and details, then a migration's preview and progress.
    const admin = await e2e.newPage();
    await logInAt(admin.page, '/admin/login', t.admin.email);
    const org = `/admin/o/${t.org.id}`;
    for (const path of [
      org,
      `${org}/directory/users`,
      `${org}/directory/users/${t.admin.id}`,
      `${org}/audit`,
    ]) {
      await admin.page.goto(path);
      await expectNoSeriousA11yViolations(admin.page);
    }
    await admin.page.goto(`${org}/sites/${t.site.name}/jsm/customers`);
    await expectNoSeriousA11yViolations(admin.page);
    await admin.page.goto(`${org}/sites/${t.site.name}/jsm/customers/${customer.id}`);
    await expectNoSeriousA11yViolations(admin.page);
    await admin.page.goto(`${org}/sites/${t.site.name}/jsm/customers`);
    await admin.page.getByRole('row').filter({ hasText: 'Ben Bulk' }).getByRole('checkbox').check();
    await admin.page.getByRole('button', { name: 'Migrate selected…' }).click();
    await admin.page.getByText('Nothing has changed yet').waitFor();
    await expectNoSeriousA11yViolations(admin.page);
    await admin.page.getByRole('button', { name: /^Migrate 1 customer/ }).click();
    await admin.page.locator('#task-progress').waitFor();
    await expectNoSeriousA11yViolations(admin.page);
    await admin.page.locator('#task-progress[data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await expectNoSeriousA11yViolations(admin.page);
  });
});
