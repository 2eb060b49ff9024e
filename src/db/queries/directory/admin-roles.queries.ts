import { and, eq, sql } from 'drizzle-orm';
import { builtOnce } from '../../built-once.ts';
import type { Executor } from '../../client.ts';
import { adminRoles, orgMemberships } from '../../schema/index.ts';

export type AdminRoleRow = typeof adminRoles.$inferSelect;

export async function insertAdminRole(db: Executor, row: typeof adminRoles.$inferInsert): Promise<void> {
  await db.insert(adminRoles).values(row).onConflictDoNothing();
}

const adminRolesOf = builtOnce((db) =>
  db
    .select()
    .from(adminRoles)
    .where(
      and(
        eq(adminRoles.orgId, sql.placeholder('orgId')),
        eq(adminRoles.accountId, sql.placeholder('accountId')),
      ),
    )
    .prepare('admin_roles_of'),
);

/** Every admin role an account holds in an org. */
export async function listAdminRoles(
  db: Executor,
  orgId: string,
  accountId: string,
): Promise<AdminRoleRow[]> {
  return adminRolesOf(db).execute({ orgId, accountId });
}

/** Every admin role an account holds anywhere (for the org switcher and `GET /admin/v1/orgs`). */
export async function listAdminRolesOfAccount(db: Executor, accountId: string): Promise<AdminRoleRow[]> {
  return db.select().from(adminRoles).where(eq(adminRoles.accountId, accountId));
}

export async function deleteAdminRole(
  tx: Executor,
  input: { orgId: string; accountId: string; role: 'org_admin' | 'site_admin'; siteId: string | null },
): Promise<number> {
  const rows = await tx
    .delete(adminRoles)
    .where(
      and(
        eq(adminRoles.orgId, input.orgId),
        eq(adminRoles.accountId, input.accountId),
        eq(adminRoles.role, input.role),
        input.siteId === null ? sql`${adminRoles.siteId} is null` : eq(adminRoles.siteId, input.siteId),
      ),
    )
    .returning({ id: adminRoles.id });
  return rows.length;
}

/** Org admins whose membership is active, locked (so two revokes cannot both leave the org without one). */
export async function lockActiveOrgAdmins(tx: Executor, orgId: string): Promise<string[]> {
  const rows = await tx
    .select({ accountId: adminRoles.accountId })
    .from(adminRoles)
    .innerJoin(
      orgMemberships,
      and(eq(orgMemberships.orgId, adminRoles.orgId), eq(orgMemberships.accountId, adminRoles.accountId)),
    )
    .where(
      and(eq(adminRoles.orgId, orgId), eq(adminRoles.role, 'org_admin'), eq(orgMemberships.status, 'active')),
    )
    .for('update', { of: adminRoles });
  return rows.map((r) => r.accountId);
}

/** Removes every admin role the account holds in the org; returns how many. */
export async function deleteAdminRolesOfAccount(
  tx: Executor,
  orgId: string,
  accountId: string,
): Promise<number> {
  const rows = await tx
    .delete(adminRoles)
    .where(and(eq(adminRoles.orgId, orgId), eq(adminRoles.accountId, accountId)))
    .returning({ id: adminRoles.id });
  return rows.length;
}
