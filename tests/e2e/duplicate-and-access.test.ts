// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() is a method, not the DOM property
import { describe, expect, it } from 'vitest';
import { suspendUser } from '#src/domain/directory/suspend-user.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { createRequest } from '#src/domain/servicedesk/create-request.ts';
import {
  buildAccount,
  buildCustomer,
  buildOrg,
  buildSite,
  buildTenant,
} from '#src/test/factories/directory.ts';
import { buildServiceDesk } from '#src/test/factories/servicedesk.ts';
import { logInAt, screenshot, useE2eHarness } from './helpers.ts';

describe('duplicate twin, site access and seats', () => {
  const e2e = useE2eHarness();

  /** Scenario 4: the note shows on both profiles; after migration it is gone and the account sees the requests. */
  it('prompts migration of a duplicate twin on both profiles until it is migrated', async () => {
    const t = await buildTenant(e2e.server.services, 'centralized');
    const { desk, requestType } = await buildServiceDesk(e2e.server.services, t.site, { access: 'open' });
    const dana = await buildAccount(e2e.server.services, {
      orgId: t.org.id,
      email: 'dana@people.test',
      name: 'Dana Dual',
    });
    // The portal-only twin has its own password, so Dana's account password logs her in as the account.
    const { customer: twin } = await buildCustomer(e2e.server.services, {
      orgId: t.org.id,
      siteId: t.site.id,
      email: 'dana@people.test',
      displayName: 'Dana Portal',
      password: 'the portal-only password',
    });
    const actor = { type: 'customer' as const, customerId: twin.id, orgId: t.org.id, siteId: t.site.id };
    const { request } = await createRequest(
      { services: e2e.server.services, actor, tenant: { site: t.site } },
      {
        serviceDeskId: desk.id,
        requestTypeId: requestType.id,
        summary: 'Old portal request',
      },
    );

    // Before migration, the account does not see the portal-only requests.
    const user = await e2e.newPage();
    await logInAt(user.page, `/sites/${t.site.name}/portal/requests`, dana.email);
    await user.page.getByRole('heading', { name: 'Requests' }).waitFor();
    await expect(user.page.locator('main').innerText()).resolves.not.toContain(request.issueKey);

    const admin = await e2e.newPage();
    const page = admin.page;
    await logInAt(page, '/admin', t.admin.email);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Directory' }).click();
    await page.getByRole('link', { name: 'Show details of Dana Dual' }).click();
    await page.getByText('This user also has a portal-only customer profile').waitFor();
    await screenshot(page, 'admin-user-detail-twin');
    const customersUrl = `/admin/o/${t.org.id}/sites/${t.site.name}/jsm/customers`;
    await page.goto(customersUrl);
    await page.getByRole('link', { name: 'Dana Portal' }).click();
    await page.getByText('This customer also has a Gatehouse account').waitFor();
    await page.getByRole('status').getByRole('link', { name: 'Migrate to a Gatehouse account' }).click();
    await page.getByRole('button', { name: 'Migrate' }).click();
    await page.locator('#task-progress[data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await expect(page.locator('#task-progress').innerText()).resolves.toContain('Linked');

    // The notes are gone from both profiles.
    await page.goto(customersUrl);
    await page.getByRole('link', { name: 'Dana Portal' }).click();
    await expect(page.locator('main').innerText()).resolves.not.toContain('also has a Gatehouse account');
    await page.goto(`/admin/o/${t.org.id}/directory/users/${dana.id}`);
    await expect(page.locator('main').innerText()).resolves.not.toContain('portal-only customer profile');

    // The account now sees the request.
    await user.page.reload();
    await user.page.getByRole('link', { name: request.issueKey }).waitFor();
    await admin.context.close();
    await user.context.close();
  });

  /** Scenario 5: "Has access on site" (original), "Restore access" (centralized), seats run out. */
  it('toggles site access, restores access and refuses a grant past the seat limit', async () => {
    // Original: Products → the site → Users → the user → Has access on site.
    const original = await buildTenant(e2e.server.services, 'original');
    const olga = await buildAccount(e2e.server.services, { orgId: original.org.id, name: 'Olga Original' });
    const admin = await e2e.newPage();
    const page = admin.page;
    await logInAt(page, '/admin', original.admin.email);
    await page.goto(`/admin/o/${original.org.id}/products`);
    await page.locator('main').getByRole('link', { name: original.site.name }).click();
    await page
      .getByRole('navigation', { name: 'Section navigation' })
      .getByRole('link', { name: 'Users' })
      .click();
    await page.getByRole('link', { name: 'Show details of Olga Original' }).click();
    const state = page.getByTestId(`site-access-${original.site.name}`);
    await expect(state.innerText()).resolves.toBe('On');
    const toggle = page.getByRole('switch', { name: `Has access on site ${original.site.name}` });
    await toggle.click();
    // Turning access off asks first (access-removing); turning it on does not.
    await page.getByRole('button', { name: `Turn off access on ${original.site.name}` }).click();
    await page.getByText('Site access turned off.').waitFor();
    await expect(state.innerText()).resolves.toBe('Off');
    await toggle.click();
    await page.getByText('Site access turned on.').waitFor();
    await expect(state.innerText()).resolves.toBe('On');
    await screenshot(page, 'admin-user-detail-original');
    expect(olga.id).toBeTruthy();

    // Centralized: Directory → Users → Show details → Restore access; then seats.
    const org = await buildOrg(e2e.server.services, 'centralized');
    const site = await buildSite(e2e.server.services, org.id, { seats: { 'jira-servicemanagement': 1 } });
    const boss = await buildAccount(e2e.server.services, { orgId: org.id, orgAdmin: true });
    const cleo = await buildAccount(e2e.server.services, { orgId: org.id, name: 'Cleo Central' });
    const finn = await buildAccount(e2e.server.services, { orgId: org.id, name: 'Finn Full' });
    await suspendUser(
      { services: e2e.server.services, actor: SYSTEM, tenant: { orgId: org.id } },
      { accountId: cleo.id },
    );
    const second = await e2e.newPage();
    await logInAt(second.page, '/admin', boss.email);
    const p2 = second.page;
    await p2.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Directory' }).click();
    await p2.getByRole('link', { name: 'Show details of Cleo Central' }).click();
    await expect(p2.getByTestId('membership-status').innerText()).resolves.toBe('Suspended');
    await p2.getByRole('button', { name: 'Restore access' }).click();
    await p2.getByText('Access restored.').waitFor();
    await expect(p2.getByTestId('membership-status').innerText()).resolves.toBe('Active');

    await p2.getByLabel('Product').selectOption(site.jsm.id);
    await p2.getByLabel('Role').selectOption('user');
    await p2.getByRole('button', { name: 'Grant access' }).click();
    await p2.getByText('Product access granted.').waitFor();
    await expect(p2.locator('main').innerText()).resolves.toContain('1 of 1');
    await screenshot(p2, 'admin-user-detail-centralized');

    await p2.goto(`/admin/o/${org.id}/directory/users/${finn.id}`);
    await p2.getByLabel('Product').selectOption(site.jsm.id);
    await p2.getByRole('button', { name: 'Grant access' }).click();
    const refusal = p2.getByRole('alert');
    await refusal.waitFor();
    await expect(refusal.innerText()).resolves.toContain('has no seat left: 1 of 1 are used');
    await expect(p2.locator('main').innerText()).resolves.toContain('No product access.');
    await screenshot(p2, 'admin-seats-refused');
    await admin.context.close();
    await second.context.close();
  });
});
