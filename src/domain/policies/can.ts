import type { Executor } from '#src/db/client.ts';
import { listAdminRoles } from '#src/db/queries/directory/admin-roles.queries.ts';
import { listProductRoleRows } from '#src/db/queries/directory/groups.queries.ts';
import { findOrgMembership } from '#src/db/queries/directory/org-memberships.queries.ts';
import { findOrganization, type OrganizationRow } from '#src/db/queries/directory/organizations.queries.ts';
import { listSitesWithoutAccess } from '#src/db/queries/directory/site-access.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { Actor } from './actor.ts';

/**
 * Every permission-checked action. Names are `<area>.<verb>`; the rules are in `RULES` below, one line each,
 * following the reference's §H matrix (who may do what per user-management experience).
 */
export type Action =
  | 'org.view'
  | 'org.directory.view'
  | 'org.audit.view'
  | 'org.api_keys.manage'
  | 'users.view'
  | 'users.invite'
  | 'users.remove'
  | 'users.suspend'
  | 'users.site_access'
  | 'users.product_access'
  | 'users.admin_roles'
  | 'groups.manage'
  | 'customers.view'
  | 'customers.create'
  | 'customers.change_password'
  | 'customers.edit_name'
  | 'customers.revoke'
  | 'customers.delete'
  | 'customers.migrate'
  | 'servicedesk.work'
  | 'servicedesk.admin';

/** What the caller is in one organization, resolved once per check. */
export interface Principal {
  kind: 'account' | 'api_key' | 'customer' | 'anonymous' | 'system';
  isOrgAdmin: boolean;
  siteAdminOf: Set<string>;
  /** Sites where the caller holds the JSM agent (`user`) or admin role through a group. */
  jsmAgentOn: Set<string>;
  jsmAdminOn: Set<string>;
  /** Suspended members hold their roles but may use none of them. */
  isSuspended: boolean;
  /** Known to the org (a member, its own API key, the system): refused actions answer 403, not 404. */
  hasStanding: boolean;
}

export interface Target {
  orgId: string;
  /** The site the action is about (required for site-scoped actions). */
  siteId?: string;
}

type Rule = (p: Principal, mode: OrganizationRow['userManagement'], siteId: string | undefined) => boolean;

const orgAdmin: Rule = (p) => p.isOrgAdmin;
/** Original experience: org admins and the site's own admins; centralized: org admins only (reference §H). */
const siteAdminInOriginal: Rule = (p, mode, siteId) =>
  p.isOrgAdmin || (mode === 'original' && siteId !== undefined && p.siteAdminOf.has(siteId));
/** Site admins of the site in either experience (JSM "Jira administrator" on the site). */
const jiraAdmin: Rule = (p, _mode, siteId) =>
  p.isOrgAdmin || (siteId !== undefined && (p.siteAdminOf.has(siteId) || p.jsmAdminOn.has(siteId)));

const RULES: Record<Action, Rule> = {
  'org.view': (p, mode) => p.isOrgAdmin || (mode === 'original' && p.siteAdminOf.size > 0),
  /** The whole org's user and group lists. */
  'org.directory.view': orgAdmin,
  'org.audit.view': orgAdmin,
  'org.api_keys.manage': orgAdmin,
  'users.view': (p, mode, siteId) =>
    p.isOrgAdmin ||
    (mode === 'original' && (siteId === undefined ? p.siteAdminOf.size > 0 : p.siteAdminOf.has(siteId))),
  'users.invite': siteAdminInOriginal,
  'users.remove': orgAdmin,
  'users.suspend': orgAdmin,
  'users.site_access': siteAdminInOriginal,
  'users.product_access': siteAdminInOriginal,
  'users.admin_roles': orgAdmin,
  'groups.manage': siteAdminInOriginal,
  'customers.view': siteAdminInOriginal,
  'customers.create': jiraAdmin,
  'customers.change_password': siteAdminInOriginal,
  'customers.edit_name': siteAdminInOriginal,
  'customers.revoke': siteAdminInOriginal,
  'customers.delete': siteAdminInOriginal,
  'customers.migrate': siteAdminInOriginal,
  'servicedesk.work': (p, _mode, siteId) =>
    p.isOrgAdmin || (siteId !== undefined && (p.jsmAgentOn.has(siteId) || p.jsmAdminOn.has(siteId))),
  'servicedesk.admin': jiraAdmin,
};

const NOBODY: Omit<Principal, 'kind'> = {
  isOrgAdmin: false,
  siteAdminOf: new Set(),
  jsmAgentOn: new Set(),
  jsmAdminOn: new Set(),
  isSuspended: false,
  hasStanding: false,
};

/** Resolves what the actor is in the org. An org API key acts as an org admin of its own org only. */
export async function loadPrincipal(db: Executor, actor: Actor, orgId: string): Promise<Principal> {
  switch (actor.type) {
    case 'system':
      return { ...NOBODY, kind: 'system', isOrgAdmin: true, hasStanding: true };
    case 'api_key':
      return {
        ...NOBODY,
        kind: 'api_key',
        isOrgAdmin: actor.orgId === orgId,
        hasStanding: actor.orgId === orgId,
      };
    case 'account': {
      const status = (await findOrgMembership(db, orgId, actor.accountId))?.status;
      if (!status) return { ...NOBODY, kind: 'account' };
      const [roles, productRoles, blocked] = await Promise.all([
        listAdminRoles(db, orgId, actor.accountId),
        listProductRoleRows(db, orgId, actor.accountId),
        listSitesWithoutAccess(db, orgId, actor.accountId),
      ]);
      // Original experience: with "Has access on site" off, the product roles on that site do nothing.
      const jsm = productRoles.filter(
        (r) => r.productKey === 'jira-servicemanagement' && !blocked.includes(r.siteId),
      );
      return {
        kind: 'account',
        isOrgAdmin: roles.some((r) => r.role === 'org_admin'),
        siteAdminOf: new Set(roles.filter((r) => r.role === 'site_admin' && r.siteId).map((r) => r.siteId!)),
        jsmAgentOn: new Set(jsm.filter((r) => r.role === 'user').map((r) => r.siteId)),
        jsmAdminOn: new Set(jsm.filter((r) => r.role === 'admin').map((r) => r.siteId)),
        isSuspended: status === 'suspended',
        hasStanding: true,
      };
    }
    default:
      return { ...NOBODY, kind: actor.type };
  }
}

/** The pure decision, for a resolved principal (the table-driven tests call this). */
export function decide(
  principal: Principal,
  action: Action,
  mode: OrganizationRow['userManagement'],
  siteId?: string,
): boolean {
  if (principal.isSuspended) return false;
  return RULES[action](principal, mode, siteId);
}

/** Whether the actor may do `action` on the target. */
export async function can(db: Executor, actor: Actor, action: Action, target: Target): Promise<boolean> {
  const org = await findOrganization(db, target.orgId);
  if (!org) return false;
  return decide(await loadPrincipal(db, actor, org.id), action, org.userManagement, target.siteId);
}

/**
 * Throws unless the actor may do `action`: 401 for anonymous callers, 404 when the caller has no standing in
 * the org at all (so other tenants cannot probe ids), else 403.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`
 */
export async function assertCan(
  db: Executor,
  actor: Actor,
  action: Action,
  target: Target,
): Promise<OrganizationRow> {
  if (actor.type === 'anonymous')
    throw new AppError('auth.unauthenticated', 'Log in, or authenticate with an API token or key.');
  const org = await findOrganization(db, target.orgId);
  const notFound = new AppError('directory.org_not_found', `No organization ${target.orgId}.`);
  if (!org) throw notFound;
  const principal = await loadPrincipal(db, actor, org.id);
  if (decide(principal, action, org.userManagement, target.siteId)) return org;
  if (!principal.hasStanding) throw notFound;
  throw new AppError('auth.forbidden', `You are not allowed to do this (${action}).`, { data: { action } });
}
