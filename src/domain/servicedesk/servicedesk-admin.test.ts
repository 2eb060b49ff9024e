import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM } from '#src/domain/policies/actor.ts';
import { assignRequest } from '#src/domain/servicedesk/assign-request.ts';
import { createRequest } from '#src/domain/servicedesk/create-request.ts';
import { createServiceDesk } from '#src/domain/servicedesk/create-service-desk.ts';
import {
  createCustomerOrganization,
  renameCustomerOrganization,
} from '#src/domain/servicedesk/customer-organizations.ts';
import { resolveDeskViewer } from '#src/domain/servicedesk/desk-viewer.ts';
import { loadPeople } from '#src/domain/servicedesk/people.ts';
import { buildAccount } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildDeskTenant } from '#src/test/factories/servicedesk.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const asAccount = (a: { id: string; email: string }): Actor => ({
  type: 'account',
  accountId: a.id,
  email: a.email,
  via: 'api_token',
});

describe('service desk administration', () => {
  it('only JSM admins create desks; a duplicate project key on the site is refused', async () => {
    const t = await buildDeskTenant(server.services);
    await expect(
      server.services.db.transaction((tx) =>
        createServiceDesk(
          { services: server.services, actor: asAccount(t.agent.account), tenant: { site: t.site } },
          {
            projectKey: 'NEW',
            projectName: 'New',
          },
          tx,
        ),
      ),
    ).rejects.toMatchObject({ code: 'auth.forbidden' });
    const desk = await server.services.db.transaction((tx) =>
      createServiceDesk(
        { services: server.services, actor: asAccount(t.admin), tenant: { site: t.site } },
        {
          projectKey: 'new',
          projectName: 'New desk',
          portalDescription: 'Help',
          access: 'open',
          sharing: 'any_customer',
        },
        tx,
      ),
    );
    expect(desk).toMatchObject({
      projectKey: 'NEW',
      portalName: 'New desk',
      access: 'open',
      sharing: 'any_customer',
    });
    await expect(
      server.services.db.transaction((tx) =>
        createServiceDesk(
          { services: server.services, actor: SYSTEM, tenant: { site: t.site } },
          { projectKey: 'NEW', projectName: 'Again' },
          tx,
        ),
      ),
    ).rejects.toThrow();
  });

  it('renames organizations, refusing a name already taken on the site', async () => {
    const t = await buildDeskTenant(server.services);
    const agent = asAccount(t.agent.account);
    const a = await createCustomerOrganization(
      { services: server.services, actor: agent, tenant: { site: t.site } },
      { name: 'Alpha' },
    );
    await createCustomerOrganization(
      { services: server.services, actor: agent, tenant: { site: t.site } },
      { name: 'Beta' },
    );
    await expect(
      renameCustomerOrganization(
        { services: server.services, actor: agent, tenant: { site: t.site } },
        { organizationId: a.id, name: 'beta' },
      ),
    ).rejects.toMatchObject({ status: 409, code: 'servicedesk.organization_name_in_use' });
    const renamed = await renameCustomerOrganization(
      { services: server.services, actor: agent, tenant: { site: t.site } },
      {
        organizationId: a.id,
        name: 'Alpha Ltd',
      },
    );
    expect(renamed.name).toBe('Alpha Ltd');
  });

  it('assigns requests to agents only', async () => {
    const t = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const { request } = await createRequest(
      { services: server.services, actor: ada.actor, tenant: { site: t.site } },
      {
        serviceDeskId: t.desk.id,
        requestTypeId: t.requestType.id,
        summary: 'Help',
      },
    );
    const agent = asAccount(t.agent.account);
    const member = await buildAccount(server.services, { orgId: t.org.id });
    await expect(
      assignRequest(
        { services: server.services, actor: agent, tenant: { site: t.site } },
        {
          issueIdOrKey: request.issueKey,
          assigneeAccountId: member.id,
        },
      ),
    ).rejects.toMatchObject({ code: 'request.invalid_input' });
    await expect(
      assignRequest(
        { services: server.services, actor: ada.actor, tenant: { site: t.site } },
        {
          issueIdOrKey: request.issueKey,
          assigneeAccountId: t.agent.account.id,
        },
      ),
    ).rejects.toMatchObject({ code: 'auth.forbidden' });
    const assigned = await assignRequest(
      { services: server.services, actor: agent, tenant: { site: t.site } },
      {
        issueIdOrKey: request.issueKey,
        assigneeAccountId: t.agent.account.id,
      },
    );
    const viewer = await resolveDeskViewer(server.services.db, agent, t.site);
    const people = await loadPeople(server.services.db, viewer, [assigned.assigneeId]);
    expect(people.get(assigned.assigneeId!)?.accountId).toBe(t.agent.account.id);
    const cleared = await assignRequest(
      { services: server.services, actor: agent, tenant: { site: t.site } },
      {
        issueIdOrKey: request.issueKey,
        assigneeAccountId: null,
      },
    );
    expect(cleared.assigneeId).toBeNull();
  });

  it('hands out unique consecutive keys to parallel requests on one desk', async () => {
    const t = await buildDeskTenant(server.services);
    const ada = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const created = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        createRequest(
          { services: server.services, actor: ada.actor, tenant: { site: t.site } },
          {
            serviceDeskId: t.desk.id,
            requestTypeId: t.requestType.id,
            summary: `Parallel ${i}`,
          },
        ),
      ),
    );
    const numbers = created.map((c) => Number(c.request.issueKey.split('-').pop())).sort((a, b) => a - b);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
