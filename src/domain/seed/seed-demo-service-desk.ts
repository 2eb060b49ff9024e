import type { Executor } from '#src/db/client.ts';
import { findAccountByEmail } from '#src/db/queries/directory/accounts.queries.ts';
import { findSiteUserOfAccount } from '#src/db/queries/directory/site-users.queries.ts';
import { findSite } from '#src/db/queries/directory/sites.queries.ts';
import {
  insertDemoParticipants,
  insertDemoRequestOrganizations,
  insertDemoRequests,
  listCustomerSiteUsers,
} from '#src/db/queries/servicedesk/seed.queries.ts';
import {
  insertDeskAgent,
  insertDeskCustomers,
  takeIssueNumbers,
} from '#src/db/queries/servicedesk/service-desks.queries.ts';
import { SYSTEM } from '../policies/actor.ts';
import { createRequestType, createRequestTypeGroup } from '../servicedesk/create-request-type.ts';
import { createServiceDesk } from '../servicedesk/create-service-desk.ts';
import {
  addOrganizationMembers,
  createCustomerOrganization,
  setDeskOrganization,
} from '../servicedesk/customer-organizations.ts';
import { createKbArticle } from '../servicedesk/knowledge-base.ts';
import type { AppServices } from '../services.ts';

/** How many requests the migration showcase customer (Ada Lovelace on `acme`) gets. */
export const SHOWCASE_REQUESTS = 1000;
export const SHOWCASE_EMAIL = 'ada.lovelace@acme-customers.example';

const SUMMARIES = [
  'Cannot log in to the VPN',
  'Laptop will not start',
  'Request access to the finance share',
  'Printer on floor 3 is jammed',
  'Email not syncing on my phone',
  'Need a new monitor',
  'Password reset link expired',
  'Software licence request',
];

const ARTICLES = [
  {
    title: 'How to reset your password',
    body: '## Reset your password\n\n1. Open the portal login page.\n2. Choose **Forgot password**.\n3. Follow the link we email you (valid for one hour).',
  },
  {
    title: 'Connecting to the VPN',
    body: '## VPN\n\nInstall the VPN client from the software centre, then sign in with your work email. If it fails, raise a *Get IT help* request.',
  },
  {
    title: 'Printer troubleshooting',
    body: 'Turn the printer **off and on again**. Still jammed? Open the front panel and remove the paper gently.',
  },
];

/**
 * Seeds each demo site's service desk, inside the demo seed's transaction: a desk with its portal, request types
 * in a group, a customer organization, KB articles; every demo customer is a desk customer with a few requests
 * (public and internal comments, participants); the agents are agents of the desk; on `acme` the showcase
 * customer has 1,000 requests and the duplicate twin has requests too. Set-based inserts keep it fast.
 */
export async function seedDemoServiceDesk(
  tx: Executor,
  services: AppServices,
  sites: Array<{ orgId: string; siteId: string; siteName: string; orgName: string }>,
): Promise<void> {
  for (const spec of sites) {
    const site = (await findSite(tx, spec.orgId, spec.siteId))!;
    const desk = await createServiceDesk(
      { services, actor: SYSTEM, tenant: { site } },
      {
        projectKey: 'HELP',
        projectName: `${spec.orgName} IT Help`,
        portalName: `${spec.orgName} Help Center`,
        portalDescription: `Get help from the ${spec.orgName} IT team.`,
        access: 'restricted',
        sharing: 'organization',
      },
      tx,
    );
    const group = await createRequestTypeGroup(
      { services, actor: SYSTEM, tenant: { site } },
      {
        serviceDeskId: desk.id,
        name: 'Common requests',
      },
      tx,
    );
    const types: Array<{ id: number }> = [];
    for (const [name, description] of [
      ['Get IT help', 'Something is broken or you need advice.'],
      ['Request a new account', 'Access to a system or a shared folder.'],
      ['Report a bug', 'Something in our software does not work as it should.'],
    ] as const) {
      types.push(
        await createRequestType(
          { services, actor: SYSTEM, tenant: { site } },
          {
            serviceDeskId: desk.id,
            name,
            description,
            groupIds: [group.id],
          },
          tx,
        ),
      );
    }
    await createRequestType(
      { services, actor: SYSTEM, tenant: { site } },
      {
        serviceDeskId: desk.id,
        name: 'Internal change',
        description: 'Agents only.',
        restriction: 'RESTRICTED',
      },
      tx,
    );
    for (const article of ARTICLES) {
      await createKbArticle(
        { services, actor: SYSTEM, tenant: { site } },
        { ...article, format: 'markdown', serviceDeskId: desk.id },
        tx,
      );
    }

    const agentIds: string[] = [];
    for (const email of [`admin@${spec.siteName}.example`, `agent@${spec.siteName}.example`]) {
      const account = await findAccountByEmail(tx, email);
      const siteUser = account && (await findSiteUserOfAccount(tx, site.id, account.id));
      if (siteUser) {
        agentIds.push(siteUser.id);
        await insertDeskAgent(tx, {
          orgId: site.orgId,
          serviceDeskId: desk.id,
          siteUserId: siteUser.id,
          isAdmin: email.startsWith('admin@') ? 'yes' : 'no',
        });
      }
    }
    const agentId = agentIds[agentIds.length - 1]!;

    const customers = await listCustomerSiteUsers(tx, site.id);
    await insertDeskCustomers(
      tx,
      site.orgId,
      desk.id,
      customers.map((c) => c.siteUserId),
    );
    const showcase = customers.find((c) => c.email === SHOWCASE_EMAIL);
    const others = customers.filter((c) => c !== showcase);

    const organization = await createCustomerOrganization(
      { services, actor: SYSTEM, tenant: { site } },
      { name: `${spec.orgName} Partners` },
      tx,
    );
    const members = others.slice(0, 10);
    await addOrganizationMembers(
      { services, actor: SYSTEM, tenant: { site } },
      { organizationId: organization.id, accountIds: members.map((m) => m.customerId) },
      tx,
    );
    await setDeskOrganization(
      { services, actor: SYSTEM, tenant: { site } },
      { serviceDeskId: desk.id, organizationId: organization.id, attached: true },
      tx,
    );

    const bulk = async (reporterIds: string[], perReporter: number, spacingMinutes: number) => {
      const count = reporterIds.length * perReporter;
      if (count === 0) return;
      const firstNumber = await takeIssueNumbers(tx, desk.id, count);
      await insertDemoRequests(tx, {
        orgId: site.orgId,
        siteId: site.id,
        serviceDeskId: desk.id,
        projectKey: desk.projectKey,
        firstNumber,
        requestTypeIds: types.map((t) => t.id),
        reporterIds,
        perReporter,
        agentId,
        summaries: SUMMARIES,
        spacingMinutes,
      });
    };
    await bulk(
      others.map((c) => c.siteUserId),
      3,
      53,
    );
    if (showcase) await bulk([showcase.siteUserId], SHOWCASE_REQUESTS, 17);
    await insertDemoParticipants(tx, {
      orgId: site.orgId,
      serviceDeskId: desk.id,
      ring: members.map((m) => m.siteUserId),
    });
    await insertDemoRequestOrganizations(tx, {
      orgId: site.orgId,
      serviceDeskId: desk.id,
      customerOrganizationId: organization.id,
    });
  }
}
