// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { setRequestTypeApprovers } from '#src/domain/servicedesk/approvals.ts';
import { buildAccount } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildDeskTenant } from '#src/test/factories/servicedesk.ts';
import { expectNoSeriousA11yViolations } from './a11y.ts';
import { logInAt, screenshot, submitLogIn, useE2eHarness } from './helpers.ts';

/**
 * Issue 15's portal and agent features: a customer attaches a file to a request, its approver approves it on the
 * portal, the agent sees the SLA and the file, attaches an internal one and resolves the request, and the
 * customer rates it. Each page passes axe-core.
 */
describe('attachments, approvals, SLA and satisfaction on the portal and the agent queue', () => {
  const e2e = useE2eHarness();

  it('runs a request through attach, approve, SLA, resolve and rate', async () => {
    const { services } = e2e.server;
    const t = await buildDeskTenant(services, { access: 'open' });
    const { customer } = await buildDeskCustomer(services, t.site, t.desk.id, {
      email: 'rita@customers.test',
      displayName: 'Rita Rater',
    });
    const approver = await buildAccount(services, { orgId: t.org.id, name: 'Abe Approver' });
    await setRequestTypeApprovers(
      { services, actor: SYSTEM, tenant: { site: t.site } },
      {
        serviceDeskId: String(t.desk.id),
        requestTypeId: t.requestType.id,
        accountIds: [approver.id],
      },
    );

    // The customer raises a request and attaches a file to it.
    const cust = await e2e.newPage();
    await cust.page.goto(`/sites/${t.site.name}/portal`);
    await submitLogIn(cust.page, customer.email!);
    await cust.page.getByRole('link', { name: t.desk.portalName }).click();
    await cust.page.getByRole('link', { name: t.requestType.name }).click();
    await cust.page.getByLabel('Summary').fill('New laptop, please');
    await cust.page.getByRole('button', { name: 'Send' }).click();
    await cust.page.getByText('Your request was sent').waitFor();
    const key = (await cust.page.locator('h1').innerText()).split(':')[0]!.trim();
    await expect(cust.page.getByTestId('approval-decision').innerText()).resolves.toBe(
      'Waiting for approval',
    );
    // Nothing chosen is a field error, not a failure.
    await cust.page.getByRole('button', { name: 'Attach', exact: true }).click();
    await cust.page.getByText('Choose a file to attach.').waitFor();
    await cust.page.getByLabel('Attach a file').setInputFiles({
      name: 'spec.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('16 GB of memory'),
    });
    await cust.page.getByRole('button', { name: 'Attach', exact: true }).click();
    await cust.page.getByRole('link', { name: 'spec.txt' }).waitFor();
    await expectNoSeriousA11yViolations(cust.page);
    await screenshot(cust.page, 'portal-request-extras');
    // The download link serves the file to the customer's session.
    const href = await cust.page.getByRole('link', { name: 'spec.txt' }).getAttribute('href');
    const download = await cust.context.request.get(href!);
    expect(download.status()).toBe(200);
    expect(await download.text()).toBe('16 GB of memory');

    // The approver approves on the portal.
    const abe = await e2e.newPage();
    await logInAt(abe.page, `/sites/${t.site.name}/portal/requests/${key}`, approver.email);
    await abe.page.getByRole('button', { name: 'Approve' }).click();
    await expect(abe.page.getByTestId('approval-decision').innerText()).resolves.toBe('Approved');
    await expect(abe.page.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);

    // The agent sees the SLA, the approval and the file, attaches an internal note file and resolves.
    const agent = await e2e.newPage();
    await logInAt(agent.page, `/sites/${t.site.name}/agent`, t.agent.account.email);
    await agent.page.getByRole('link', { name: key }).click();
    const sla = await agent.page.getByTestId('sla').innerText();
    expect(sla).toContain('Time to first response');
    expect(sla).toContain('Time to resolution');
    expect(sla).toMatch(/left/);
    await expect(agent.page.getByTestId('approval-decision').innerText()).resolves.toBe('Approved');
    await agent.page.getByRole('link', { name: 'spec.txt' }).waitFor();
    await agent.page.getByLabel('Attach a file').setInputFiles({
      name: 'quote.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('internal price quote'),
    });
    await agent.page.getByRole('button', { name: 'Attach internally' }).click();
    await expect(agent.page.getByTestId('attachments').innerText()).resolves.toContain('quote.txt');
    await expectNoSeriousA11yViolations(agent.page);
    await screenshot(agent.page, 'agent-request-extras');
    await agent.page.getByLabel('Change status').selectOption({ label: 'Resolve this issue → Resolved' });
    await agent.page.getByRole('button', { name: 'Change status' }).click();
    await expect(agent.page.getByTestId('request-status').innerText()).resolves.toBe('Resolved');
    await expect(agent.page.getByTestId('sla').innerText()).resolves.toMatch(/Met in|Breached/);

    // The customer never sees the internal file, and rates the resolved request.
    await cust.page.reload();
    await expect(cust.page.getByTestId('attachments').innerText()).resolves.not.toContain('quote.txt');
    await cust.page.getByRole('button', { name: 'Rate' }).click();
    await cust.page.getByText('Choose a rating from 1 to 5.').waitFor();
    await cust.page.getByLabel('4', { exact: true }).check();
    await cust.page.getByLabel('Comment (optional)').fill('Quick, thanks');
    await cust.page.getByRole('button', { name: 'Rate' }).click();
    await expect(cust.page.getByTestId('feedback').innerText()).resolves.toContain('4 out of 5');
    await expectNoSeriousA11yViolations(cust.page);
    await agent.page.reload();
    await expect(agent.page.getByTestId('feedback').innerText()).resolves.toContain('Quick, thanks');
    for (const { context } of [cust, abe, agent]) await context.close();
  });
});
