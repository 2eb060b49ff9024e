import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Executor } from '#src/db/client.ts';
import { findAccountByEmail } from '#src/db/queries/directory/accounts.queries.ts';
import { insertAdminRole } from '#src/db/queries/directory/admin-roles.queries.ts';
import { listApiKeys } from '#src/db/queries/directory/api-keys.queries.ts';
import { findOrganizationByName } from '#src/db/queries/directory/organizations.queries.ts';
import type { ProductRow } from '#src/db/queries/directory/products.queries.ts';
import { newId } from '#src/shared/ids.ts';
import { createPortalCustomer } from '../customers/create-portal-customer.ts';
import { createApiKey } from '../directory/api-keys.ts';
import { createAccount } from '../directory/create-account.ts';
import { createOrganization } from '../directory/create-organization.ts';
import { createSite } from '../directory/create-site.ts';
import { grantProductAccess } from '../directory/grant-product-access.ts';
import { ensureAccountSiteUser } from '../directory/site-users.ts';
import { SYSTEM } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { DEMO_PASSWORD, demoCustomers } from './demo-people.ts';
import { seedDemoServiceDesk } from './seed-demo-service-desk.ts';

export interface DemoSite {
  orgId: string;
  siteId: string;
  siteName: string;
  jsm: ProductRow;
}

export interface SeedResult {
  created: boolean;
  bannerLines: string[];
}

async function seedOrg(
  services: AppServices,
  tx: Executor,
  spec: {
    orgName: string;
    mode: 'original' | 'centralized';
    siteName: string;
    seats: [number, number, number];
  },
  passwordHash: string,
): Promise<DemoSite> {
  const org = await createOrganization(
    services,
    SYSTEM,
    { name: spec.orgName, userManagement: spec.mode },
    tx,
  );
  const { site, products } = await createSite(
    services,
    SYSTEM,
    {
      orgId: org.id,
      name: spec.siteName,
      products: [
        { key: 'jira-servicemanagement', seatLimit: spec.seats[0] },
        { key: 'jira-software', seatLimit: spec.seats[1] },
        { key: 'confluence', seatLimit: spec.seats[2] },
      ],
    },
    tx,
  );
  const jsm = products.find((p) => p.key === 'jira-servicemanagement')!;
  const account = (email: string, name: string) =>
    createAccount(tx, services, SYSTEM, { email, name, passwordHash, emailVerified: true, orgId: org.id });

  const admin = await account(`admin@${spec.siteName}.example`, `${spec.orgName} Admin`);
  await insertAdminRole(tx, { id: newId(), orgId: org.id, accountId: admin.id, role: 'org_admin' });
  await grantProductAccess(
    services,
    SYSTEM,
    { orgId: org.id, productId: jsm.id, accountId: admin.id, role: 'admin' },
    tx,
  );

  const agent = await account(`agent@${spec.siteName}.example`, `${spec.orgName} Agent`);
  await grantProductAccess(
    services,
    SYSTEM,
    { orgId: org.id, productId: jsm.id, accountId: agent.id, role: 'user' },
    tx,
  );
  for (const id of [admin.id, agent.id])
    await ensureAccountSiteUser(tx, { orgId: org.id, siteId: site.id, accountId: id });

  for (const person of demoCustomers(spec.siteName)) {
    await createPortalCustomer(tx, services, SYSTEM, {
      orgId: org.id,
      siteId: site.id,
      email: person.email,
      displayName: person.displayName,
      passwordHash,
      emailVerified: true,
    });
  }
  return { orgId: org.id, siteId: site.id, siteName: site.name, jsm };
}

const DEMO_KEY_NAME = 'demo';

function demoKeyFile(services: AppServices): string {
  return join(resolve(services.config.DATA_DIR), 'demo-api-key');
}

/**
 * The demo key is kept in DATA_DIR so later starts can print it again (only its hash is in the database).
 * Undefined when the database already has a demo key but this DATA_DIR does not know it: another process (or
 * another DATA_DIR against the same PostgreSQL) seeded it, and minting a key on every such start would pile them up.
 */
async function ensureDemoApiKey(services: AppServices, orgId: string): Promise<string | undefined> {
  const file = demoKeyFile(services);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const keys = await listApiKeys(services.db, orgId);
  if (keys.some((key) => key.name === DEMO_KEY_NAME && !key.revokedAt)) return undefined;
  const { secret } = await createApiKey(
    { services, actor: SYSTEM, tenant: { orgId } },
    { name: DEMO_KEY_NAME },
  );
  mkdirSync(resolve(services.config.DATA_DIR), { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * Seeds the demo: Acme (centralized, site `acme`) and Globex (original, site `globex`), each with all three
 * products, an org admin, an agent and 50 portal-only customers; a Globex site admin who is not an org admin;
 * and on `acme` one customer whose email also has an account (the duplicate case). Idempotent: an existing
 * Acme means the demo is there, and only the banner is printed.
 */
export async function seedDemo(services: AppServices): Promise<SeedResult> {
  let acme = await findOrganizationByName(services.db, 'Acme');
  const created = !acme;
  if (!acme) {
    const passwordHash = await services.passwords.hash(DEMO_PASSWORD);
    await services.db.transaction(async (tx) => {
      const acmeSite = await seedOrg(
        services,
        tx,
        { orgName: 'Acme', mode: 'centralized', siteName: 'acme', seats: [10, 5, 5] },
        passwordHash,
      );
      const globexSite = await seedOrg(
        services,
        tx,
        { orgName: 'Globex', mode: 'original', siteName: 'globex', seats: [5, 3, 3] },
        passwordHash,
      );

      const siteAdmin = await createAccount(tx, services, SYSTEM, {
        email: 'siteadmin@globex.example',
        name: 'Globex Site Admin',
        passwordHash,
        emailVerified: true,
        orgId: globexSite.orgId,
      });
      await insertAdminRole(tx, {
        id: newId(),
        orgId: globexSite.orgId,
        accountId: siteAdmin.id,
        role: 'site_admin',
        siteId: globexSite.siteId,
      });

      // The duplicate case: a portal-only customer of acme whose email later got an account.
      await createPortalCustomer(tx, services, SYSTEM, {
        orgId: acmeSite.orgId,
        siteId: acmeSite.siteId,
        email: 'twin@acme-customers.example',
        displayName: 'Tess Twin',
        passwordHash,
        emailVerified: true,
      });
      await createAccount(tx, services, SYSTEM, {
        email: 'twin@acme-customers.example',
        name: 'Tess Twin',
        passwordHash,
        emailVerified: true,
        orgId: acmeSite.orgId,
      });
      // Service-desk demo data (portals, requests, comments) is added by the service-desk seed.
      await seedDemoServiceDesk(tx, services, [
        { ...acmeSite, orgName: 'Acme' },
        { ...globexSite, orgName: 'Globex' },
      ]);
    });
    acme = await findOrganizationByName(services.db, 'Acme');
  }
  const apiKey = await ensureDemoApiKey(services, acme!.id);
  const accountExists = async (email: string) => (await findAccountByEmail(services.db, email)) !== undefined;
  const logins = [
    'admin@acme.example',
    'admin@globex.example',
    'siteadmin@globex.example',
    'agent@acme.example',
    'agent@globex.example',
  ];
  const present = [];
  for (const email of logins) if (await accountExists(email)) present.push(email);
  return {
    created,
    bannerLines: [
      '',
      `Demo data ${created ? 'seeded' : 'present'}. Every demo login uses the password: ${DEMO_PASSWORD}`,
      `  Org admin (Acme, centralized):   admin@acme.example`,
      `  Org admin (Globex, original):    admin@globex.example`,
      `  Site admin of globex only:       siteadmin@globex.example`,
      `  Agents:                          agent@acme.example, agent@globex.example`,
      `  Portal-only customers:           ada.lovelace@acme-customers.example (portal ${services.config.BASE_URL}/sites/acme/portal)`,
      `  Duplicate twin (customer+account): twin@acme-customers.example`,
      ...(apiKey
        ? [
            `  Admin API key (org Acme ${acme!.id}):`,
            `    ${apiKey}`,
            `  Try: curl -H "Authorization: Bearer ${apiKey}" ${services.config.BASE_URL}/admin/v1/orgs/${acme!.id}/users`,
          ]
        : [
            `  Admin API key (org Acme ${acme!.id}): made by the start that seeded this database, in its`,
            `    DATA_DIR/demo-api-key; make another with: npx gatehouse api-key create --org Acme`,
          ]),
    ],
  };
}
