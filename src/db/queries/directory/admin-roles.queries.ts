import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { adminRoles } from '../../schema/index.ts';

export type AdminRoleRow = typeof adminRoles.$inferSelect;

export async function insertAdminRole(db: Executor, row: typeof adminRoles.$inferInsert): Promise<void> {
  await db.insert(adminRoles).values(row).onConflictDoNothing();
}

/** Every admin role an account holds in an org. */
export async function listAdminRoles(
  db: Executor,
  orgId: string,
  accountId: string,
): Promise<AdminRoleRow[]> {
  return db
    .select()
    .from(adminRoles)
    .where(and(eq(adminRoles.orgId, orgId), eq(adminRoles.accountId, accountId)));
}

/** Every admin role an account holds anywhere (for the org switcher and `GET /admin/v1/orgs`). */
export async function listAdminRolesOfAccount(db: Executor, accountId: string): Promise<AdminRoleRow[]> {
  return db.select().from(adminRoles).where(eq(adminRoles.accountId, accountId));
}
