// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import { describe, expect, it } from 'vitest';
import { buildDeskCustomer, buildDeskTenant } from '#src/test/factories/servicedesk.ts';
import { logInAt, screenshot, submitLogIn, useE2eHarness } from './helpers.ts';

/** Scenario 6: a customer raises a request; an agent replies publicly and adds an internal note. */
describe('request, public reply and internal note', () => {
  const e2e = useE2eHarness();

  it('the customer sees the reply, never the note', async () => {
    const t = await buildDeskTenant(e2e.server.services, { access: 'open' });
    const { customer } = await buildDeskCustomer(e2e.server.services, t.site, t.desk.id, {
      email: 'cora@customers.test',
      displayName: 'Cora Customer',
    });

    // The customer logs in to the portal and raises a request.
    const cust = await e2e.newPage();
    await cust.page.goto(`/sites/${t.site.name}/portal`);
    await expect(cust.page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain('Log in');
    await submitLogIn(cust.page, customer.email!);
    await cust.page.getByRole('heading', { name: 'Help center' }).waitFor();
    await screenshot(cust.page, 'portal-help-center');
    await cust.page.getByRole('link', { name: t.desk.portalName }).click();
    await cust.page.getByRole('link', { name: 'Get IT help' }).click();
    // An empty summary is a field error on the form.
    await cust.page.getByLabel('Description').fill('Smoke everywhere');
    await cust.page.getByLabel('Summary').fill(' ');
    await cust.page.getByRole('button', { name: 'Send' }).click();
    await cust.page.getByText('Enter a summary.').waitFor();
    await expect(cust.page.getByLabel('Description').inputValue()).resolves.toBe('Smoke everywhere');
    await cust.page.getByLabel('Summary').fill('Printer is on fire');
    await cust.page.getByRole('button', { name: 'Send' }).click();
    await cust.page.getByText('Your request was sent').waitFor();
    const key = (await cust.page.locator('h1').innerText()).split(':')[0]!.trim();
    expect(key).toMatch(/^[A-Z0-9]+-\d+$/);

    // The agent finds it in the queue, replies and adds an internal note.
    const agent = await e2e.newPage();
    await logInAt(agent.page, `/sites/${t.site.name}/agent`, t.agent.account.email);
    await agent.page.getByRole('link', { name: key }).click();
    await expect(agent.page.getByTestId('reporter').innerText()).resolves.toContain('Portal-only customer');
    await agent.page.getByLabel('Comment').fill('We are sending a technician.');
    await agent.page.getByRole('button', { name: 'Reply to customer' }).click();
    await agent.page.getByTestId('public-comment').waitFor();
    await agent.page.getByLabel('Comment').fill('Third fire this week; check the fuser.');
    await agent.page.getByRole('button', { name: 'Add internal note' }).click();
    await agent.page.getByTestId('internal-comment').waitFor();
    await agent.page.getByRole('button', { name: 'Assign to me' }).click();
    await agent.page.getByRole('button', { name: 'Unassign' }).waitFor();
    await screenshot(agent.page, 'agent-request');
    await agent.page.goto(`/sites/${t.site.name}/agent`);
    await screenshot(agent.page, 'agent-queue');

    // The customer sees the public reply, never the note.
    await cust.page.reload();
    await cust.page.getByText('We are sending a technician.').waitFor();
    const text = await cust.page.locator('main').innerText();
    expect(text).not.toContain('Third fire');
    expect(text).not.toContain('fuser');
    await screenshot(cust.page, 'portal-request');
    await cust.page.getByRole('link', { name: 'Requests' }).click();
    await cust.page.getByRole('link', { name: key }).waitFor();
    await cust.context.close();
    await agent.context.close();
  });
});
