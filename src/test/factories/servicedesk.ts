import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { createSession } from '#src/domain/accounts/sessions.ts';
import { grantProductAccess } from '#src/domain/directory/grant-product-access.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { addDeskCustomers } from '#src/domain/servicedesk/add-desk-customers.ts';
import { createRequestType } from '#src/domain/servicedesk/create-request-type.ts';
import { createServiceDesk } from '#src/domain/servicedesk/create-service-desk.ts';
import {
  addOrganizationMembers,
  createCustomerOrganization,
  setDeskOrganization,
} from '#src/domain/servicedesk/customer-organizations.ts';
import type { AppServices } from '#src/domain/services.ts';
import { buildAccount, buildBasicAuth, buildCustomer, buildTenant, unique } from './directory.ts';

/** A service desk with one open request type (and one restricted), on the given site. */
export async function buildServiceDesk(
  services: AppServices,
  site: SiteRow,
  options: {
    access?: 'open' | 'restricted';
    sharing?: 'none' | 'organization' | 'any_customer';
    key?: string;
  } = {},
) {
  return services.db.transaction(async (tx) => {
    const desk = await createServiceDesk(
      { services, actor: SYSTEM, tenant: { site } },
      {
        projectKey:
          options.key ??
          unique('D')
            .toUpperCase()
            .slice(0, 6)
            .replace(/[^A-Z0-9]/g, 'X'),
        projectName: unique('Desk '),
        access: options.access ?? 'restricted',
        sharing: options.sharing ?? 'organization',
      },
      tx,
    );
    const requestType = await createRequestType(
      { services, actor: SYSTEM, tenant: { site } },
      {
        serviceDeskId: desk.id,
        name: 'Get IT help',
      },
      tx,
    );
    const restrictedType = await createRequestType(
      { services, actor: SYSTEM, tenant: { site } },
      {
        serviceDeskId: desk.id,
        name: 'Internal only',
        restriction: 'RESTRICTED',
      },
      tx,
    );
    return { desk, requestType, restrictedType };
  });
}

/** An account holding the JSM agent role on the tenant's site, with its Basic auth header. */
export async function buildAgent(
  services: AppServices,
  tenant: { org: { id: string }; site: SiteRow; jsm: { id: string } },
) {
  const account = await buildAccount(services, { orgId: tenant.org.id, siteUserOn: [tenant.site.id] });
  await grantProductAccess(services, SYSTEM, {
    orgId: tenant.org.id,
    productId: tenant.jsm.id,
    accountId: account.id,
    role: 'user',
  });
  return { account, auth: await buildBasicAuth(services, account) };
}

/** A portal-only customer added to the desk; `customer` carries the actor fields for domain calls. */
export async function buildDeskCustomer(
  services: AppServices,
  site: SiteRow,
  deskId: number,
  input: { email?: string; displayName?: string } = {},
) {
  const { customer, siteUser } = await buildCustomer(services, {
    orgId: site.orgId,
    siteId: site.id,
    ...input,
  });
  await addDeskCustomers(
    { services, actor: SYSTEM, tenant: { site } },
    { serviceDeskId: deskId, accountIds: [customer.id] },
  );
  return {
    customer,
    siteUser,
    actor: { type: 'customer' as const, customerId: customer.id, orgId: site.orgId, siteId: site.id },
  };
}

/** A customer organization attached to the desk with the given members. */
export async function buildCustomerOrganization(
  services: AppServices,
  site: SiteRow,
  deskId: number,
  memberIds: string[],
) {
  const organization = await createCustomerOrganization(
    { services, actor: SYSTEM, tenant: { site } },
    { name: unique('Org ') },
  );
  await addOrganizationMembers(
    { services, actor: SYSTEM, tenant: { site } },
    {
      organizationId: organization.id,
      accountIds: memberIds,
    },
  );
  await setDeskOrganization(
    { services, actor: SYSTEM, tenant: { site } },
    {
      serviceDeskId: deskId,
      organizationId: organization.id,
      attached: true,
    },
  );
  return organization;
}

/** A tenant with a desk, an agent and the tenant's admin: the usual start of a service-desk test. */
export async function buildDeskTenant(
  services: AppServices,
  options: { access?: 'open' | 'restricted'; sharing?: 'none' | 'organization' | 'any_customer' } = {},
) {
  const tenant = await buildTenant(services);
  const { desk, requestType, restrictedType } = await buildServiceDesk(services, tenant.site, options);
  const agent = await buildAgent(services, tenant);
  return { ...tenant, desk, requestType, restrictedType, agent };
}

/** A portal session cookie header for a portal-only customer (reads only; writes also need the CSRF token). */
export async function customerCookie(
  services: AppServices,
  customer: { id: string; siteId: string },
): Promise<Record<string, string>> {
  const session = await services.db.transaction((tx) =>
    createSession(tx, services, { kind: 'customer', customerId: customer.id, siteId: customer.siteId }),
  );
  return { cookie: `gh_session=${session.secret}`, 'x-csrf-token': session.csrfToken };
}
