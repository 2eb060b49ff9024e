import { randomBytes } from 'node:crypto';
import { insertAdminRole } from '#src/db/queries/directory/admin-roles.queries.ts';
import type { ProductKey } from '#src/db/schema/index.ts';
import { issueApiToken } from '#src/domain/accounts/api-tokens.ts';
import { createPortalCustomer } from '#src/domain/customers/create-portal-customer.ts';
import { createApiKey } from '#src/domain/directory/api-keys.ts';
import { createAccount } from '#src/domain/directory/create-account.ts';
import { createOrganization } from '#src/domain/directory/create-organization.ts';
import { createSite } from '#src/domain/directory/create-site.ts';
import { ensureAccountSiteUser } from '#src/domain/directory/site-users.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import type { AppServices } from '#src/domain/services.ts';
import { newId } from '#src/shared/ids.ts';

/** A short random suffix so every test builds its own tenant and names never collide. */
export function unique(prefix = 'x'): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export const TEST_PASSWORD = 'correct horse battery staple';

export async function buildOrg(
  services: AppServices,
  userManagement: 'original' | 'centralized' = 'centralized',
) {
  return createOrganization(services, SYSTEM, { name: unique('Org '), userManagement });
}

export async function buildSite(
  services: AppServices,
  orgId: string,
  options: { name?: string; seats?: Partial<Record<ProductKey, number>> } = {},
) {
  const seats = { 'jira-servicemanagement': 5, 'jira-software': 5, confluence: 5, ...options.seats };
  const { site, products } = await createSite(services, SYSTEM, {
    orgId,
    name: options.name ?? unique('site-'),
    products: (Object.keys(seats) as ProductKey[]).map((key) => ({ key, seatLimit: seats[key]! })),
  });
  const product = (key: ProductKey) => products.find((p) => p.key === key)!;
  return {
    site,
    products,
    jsm: product('jira-servicemanagement'),
    jira: product('jira-software'),
    confluence: product('confluence'),
  };
}

export interface BuildAccountOptions {
  orgId?: string;
  email?: string;
  name?: string;
  /** A password to set (hashed with the test's cheap argon2); default TEST_PASSWORD; null for none. */
  password?: string | null;
  verified?: boolean;
  orgAdmin?: boolean;
  siteAdminOf?: string[];
  /** Site ids on which the account gets a site user (needed to act on a site's service desk). */
  siteUserOn?: string[];
}

export async function buildAccount(services: AppServices, options: BuildAccountOptions = {}) {
  const password = options.password === undefined ? TEST_PASSWORD : options.password;
  const passwordHash = password === null ? null : await services.passwords.hash(password);
  return services.db.transaction(async (tx) => {
    const account = await createAccount(tx, services, SYSTEM, {
      email: options.email ?? `${unique('user')}@example.test`,
      name: options.name ?? unique('User '),
      passwordHash,
      emailVerified: options.verified ?? true,
      orgId: options.orgId,
    });
    if (options.orgId && options.orgAdmin) {
      await insertAdminRole(tx, {
        id: newId(),
        orgId: options.orgId,
        accountId: account.id,
        role: 'org_admin',
      });
    }
    for (const siteId of options.siteAdminOf ?? []) {
      await insertAdminRole(tx, {
        id: newId(),
        orgId: options.orgId!,
        accountId: account.id,
        role: 'site_admin',
        siteId,
      });
    }
    for (const siteId of options.siteUserOn ?? []) {
      await ensureAccountSiteUser(tx, { orgId: options.orgId!, siteId, accountId: account.id });
    }
    return account;
  });
}

export async function buildApiKey(services: AppServices, orgId: string): Promise<string> {
  return (await createApiKey({ services, actor: SYSTEM, tenant: { orgId } }, { name: unique('key-') }))
    .secret;
}

export async function buildCustomer(
  services: AppServices,
  input: { orgId: string; siteId: string; email?: string; displayName?: string; password?: string | null },
) {
  const password = input.password === undefined ? TEST_PASSWORD : input.password;
  const passwordHash = password === null ? null : await services.passwords.hash(password);
  return services.db.transaction((tx) =>
    createPortalCustomer(tx, services, SYSTEM, {
      orgId: input.orgId,
      siteId: input.siteId,
      email: input.email ?? `${unique('customer')}@customers.test`,
      displayName: input.displayName ?? unique('Customer '),
      passwordHash,
      emailVerified: true,
    }),
  );
}

/** An org with one site, an org admin and an org API key: the usual starting point of an API test. */
export async function buildTenant(
  services: AppServices,
  userManagement: 'original' | 'centralized' = 'centralized',
) {
  const org = await buildOrg(services, userManagement);
  const site = await buildSite(services, org.id);
  const admin = await buildAccount(services, { orgId: org.id, orgAdmin: true, siteUserOn: [site.site.id] });
  const apiKey = await buildApiKey(services, org.id);
  return { org, ...site, admin, apiKey };
}

/** A personal API token for an account; returns the `Authorization: Basic` header for it. */
export async function buildBasicAuth(
  services: AppServices,
  account: { id: string; email: string },
): Promise<Record<string, string>> {
  const { secret } = await issueApiToken(services, { accountId: account.id, label: unique('token-') });
  return { authorization: `Basic ${Buffer.from(`${account.email}:${secret}`).toString('base64')}` };
}
