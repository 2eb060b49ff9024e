import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgMemberships } from '#src/db/schema/index.ts';
import { isAppError } from '#src/shared/errors.ts';
import { giveProductRole } from '#src/test/factories/customers.ts';
import { buildAccount, buildCustomer, buildTenant } from '#src/test/factories/directory.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { setSiteAccess } from '../directory/site-access.ts';
import { type Actor, ANONYMOUS, SYSTEM } from './actor.ts';
import { type Action, assertCan, can, decide, type Principal } from './can.ts';

const SITE = 'site-here';
const OTHER_SITE = 'site-other';

const none = (): Omit<Principal, 'kind'> => ({
  isOrgAdmin: false,
  siteAdminOf: new Set(),
  jsmAgentOn: new Set(),
  jsmAdminOn: new Set(),
  isSuspended: false,
  hasStanding: true,
});

/** Every role of the matrix, as the principal `loadPrincipal` resolves for it in the org owning SITE. */
const ROLES = {
  orgAdmin: { ...none(), kind: 'account', isOrgAdmin: true },
  siteAdminHere: { ...none(), kind: 'account', siteAdminOf: new Set([SITE]) },
  siteAdminOther: { ...none(), kind: 'account', siteAdminOf: new Set([OTHER_SITE]) },
  jsmAgent: { ...none(), kind: 'account', jsmAgentOn: new Set([SITE]) },
  jsmAdmin: { ...none(), kind: 'account', jsmAdminOn: new Set([SITE]) },
  member: { ...none(), kind: 'account' },
  suspendedOrgAdmin: {
    ...none(),
    kind: 'account',
    isOrgAdmin: true,
    siteAdminOf: new Set([SITE]),
    jsmAdminOn: new Set([SITE]),
    isSuspended: true,
  },
  orgKey: { ...none(), kind: 'api_key', isOrgAdmin: true },
  otherOrgKey: { ...none(), kind: 'api_key', hasStanding: false },
  portalCustomer: { ...none(), kind: 'customer', hasStanding: false },
  anonymous: { ...none(), kind: 'anonymous', hasStanding: false },
} satisfies Record<string, Principal>;
type Role = keyof typeof ROLES;
const ALL_ROLES = Object.keys(ROLES) as Role[];

const ORG_ADMINS: Role[] = ['orgAdmin', 'orgKey'];
/** Reference §H: centralized = org admins only; original = org admins and that site's admins. */
const BY_EXPERIENCE = { centralized: ORG_ADMINS, original: [...ORG_ADMINS, 'siteAdminHere'] as Role[] };
const BOTH = (roles: Role[]) => ({ centralized: roles, original: roles });
const JIRA_ADMINS: Role[] = [...ORG_ADMINS, 'siteAdminHere', 'jsmAdmin'];

/** Who may do each action on SITE, per experience. Written out independently of `RULES`. */
const EXPECTED = {
  'org.view': {
    centralized: ORG_ADMINS,
    original: [...ORG_ADMINS, 'siteAdminHere', 'siteAdminOther'] as Role[],
  },
  'org.directory.view': BOTH(ORG_ADMINS),
  'org.audit.view': BOTH(ORG_ADMINS),
  'org.api_keys.manage': BOTH(ORG_ADMINS),
  'users.view': BY_EXPERIENCE,
  'users.invite': BY_EXPERIENCE,
  'users.remove': BOTH(ORG_ADMINS),
  'users.suspend': BOTH(ORG_ADMINS),
  'users.site_access': BY_EXPERIENCE,
  'users.product_access': BY_EXPERIENCE,
  'users.admin_roles': BOTH(ORG_ADMINS),
  'groups.manage': BY_EXPERIENCE,
  'customers.view': BY_EXPERIENCE,
  'customers.create': BOTH(JIRA_ADMINS),
  'customers.change_password': BY_EXPERIENCE,
  'customers.edit_name': BY_EXPERIENCE,
  'customers.revoke': BY_EXPERIENCE,
  'customers.delete': BY_EXPERIENCE,
  'customers.migrate': BY_EXPERIENCE,
  'servicedesk.work': BOTH([...ORG_ADMINS, 'jsmAgent', 'jsmAdmin']),
  'servicedesk.admin': BOTH(JIRA_ADMINS),
} satisfies Record<Action, { centralized: Role[]; original: Role[] }>;

const cases = (Object.keys(EXPECTED) as Action[]).flatMap((action) =>
  (['centralized', 'original'] as const).flatMap((mode) =>
    ALL_ROLES.map((role) => ({ action, mode, role, allowed: EXPECTED[action][mode].includes(role) })),
  ),
);

describe('permission matrix (reference §H), every action × role × experience', () => {
  it.each(cases)('$mode: $role → $action = $allowed', ({ action, mode, role, allowed }) => {
    expect(decide(ROLES[role], action, mode, SITE)).toBe(allowed);
  });

  it('migration: centralized org admins only; original org admins and that site admins', () => {
    const allowed = (mode: 'centralized' | 'original') =>
      ALL_ROLES.filter((role) => decide(ROLES[role], 'customers.migrate', mode, SITE));
    expect(allowed('centralized')).toEqual(['orgAdmin', 'orgKey']);
    expect(allowed('original')).toEqual(['orgAdmin', 'siteAdminHere', 'orgKey']);
  });
});

describe('assertCan against the database: 401 vs 404 vs 403', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer({ workers: false });
  });
  afterAll(() => server.close());

  async function outcome(actor: Actor, action: Action, target: { orgId: string; siteId?: string }) {
    try {
      await assertCan(server.services.db, actor, action, target);
      return 'allowed';
    } catch (error) {
      if (isAppError(error)) return error.status;
      throw error;
    }
  }

  it('resolves real principals: keys, admins, site admins, agents, suspended members, customers', async () => {
    const { services } = server;
    const t = await buildTenant(services, 'original');
    const other = await buildTenant(services, 'original');
    const target = { orgId: t.org.id, siteId: t.site.id };
    const key = (orgId: string, apiKeyId: string): Actor => ({ type: 'api_key', apiKeyId, orgId });
    const account = (a: { id: string; email: string }): Actor => ({
      type: 'account',
      accountId: a.id,
      email: a.email,
      via: 'api_token',
    });

    expect(await outcome(ANONYMOUS, 'customers.revoke', target)).toBe(401);
    expect(await outcome(key(t.org.id, 'k1'), 'customers.revoke', target)).toBe('allowed');
    expect(await outcome(key(other.org.id, 'k2'), 'customers.revoke', target)).toBe(404);
    expect(await outcome(account(t.admin), 'users.admin_roles', target)).toBe('allowed');
    expect(await outcome(account(other.admin), 'customers.view', target)).toBe(404);

    const siteAdmin = await buildAccount(services, { orgId: t.org.id, siteAdminOf: [t.site.id] });
    expect(await outcome(account(siteAdmin), 'customers.migrate', target)).toBe('allowed');
    expect(await outcome(account(siteAdmin), 'users.remove', target)).toBe(403);

    const agent = await buildAccount(services, { orgId: t.org.id });
    await giveProductRole(services, {
      orgId: t.org.id,
      productId: t.jsm.id,
      accountId: agent.id,
      role: 'user',
    });
    expect(await can(services.db, account(agent), 'servicedesk.work', target)).toBe(true);
    expect(await outcome(account(agent), 'customers.create', target)).toBe(403);

    const suspended = await buildAccount(services, { orgId: t.org.id, orgAdmin: true });
    await services.db
      .update(orgMemberships)
      .set({ status: 'suspended' })
      .where(eq(orgMemberships.accountId, suspended.id));
    expect(await outcome(account(suspended), 'customers.view', target)).toBe(403);

    const stranger = await buildAccount(services);
    expect(await outcome(account(stranger), 'customers.view', target)).toBe(404);
    const { customer } = await buildCustomer(services, { orgId: t.org.id, siteId: t.site.id });
    const customerActor: Actor = {
      type: 'customer',
      customerId: customer.id,
      orgId: t.org.id,
      siteId: t.site.id,
    };
    expect(await outcome(customerActor, 'customers.view', target)).toBe(404);
    expect(await can(services.db, customerActor, 'servicedesk.work', target)).toBe(false);
    expect(await outcome(key(t.org.id, 'k1'), 'customers.view', { orgId: 'no-such-org' })).toBe(404);
  });

  it('original: an agent whose "Has access on site" is off cannot work that site', async () => {
    const { services } = server;
    const t = await buildTenant(services, 'original');
    const agent = await buildAccount(services, { orgId: t.org.id });
    await giveProductRole(services, {
      orgId: t.org.id,
      productId: t.jsm.id,
      accountId: agent.id,
      role: 'user',
    });
    const actor: Actor = { type: 'account', accountId: agent.id, email: agent.email, via: 'api_token' };
    const target = { orgId: t.org.id, siteId: t.site.id };
    expect(await can(services.db, actor, 'servicedesk.work', target)).toBe(true);
    await setSiteAccess(
      { services, actor: SYSTEM, tenant: target },
      { ...target, accountId: agent.id, hasAccess: false },
    );
    expect(await can(services.db, actor, 'servicedesk.work', target)).toBe(false);
    await setSiteAccess(
      { services, actor: SYSTEM, tenant: target },
      { ...target, accountId: agent.id, hasAccess: true },
    );
    expect(await can(services.db, actor, 'servicedesk.work', target)).toBe(true);
  });
});
