import { and, eq, sql } from 'drizzle-orm';
import { builtOnce } from '../../built-once.ts';
import type { Executor } from '../../client.ts';
import { siteAccess } from '../../schema/index.ts';

export async function upsertSiteAccess(
  tx: Executor,
  row: { orgId: string; siteId: string; accountId: string; hasAccess: boolean },
  now: Date,
): Promise<void> {
  await tx
    .insert(siteAccess)
    .values({ ...row, updatedAt: now })
    .onConflictDoUpdate({
      target: [siteAccess.siteId, siteAccess.accountId],
      set: { hasAccess: row.hasAccess, updatedAt: now },
    });
}

/** The account's "Has access on site" rows in an org (no row = has access). */
export async function listSiteAccess(db: Executor, orgId: string, accountId: string) {
  return db
    .select({ siteId: siteAccess.siteId, hasAccess: siteAccess.hasAccess })
    .from(siteAccess)
    .where(and(eq(siteAccess.orgId, orgId), eq(siteAccess.accountId, accountId)));
}

export async function deleteSiteAccessOfAccount(
  tx: Executor,
  orgId: string,
  accountId: string,
): Promise<void> {
  await tx.delete(siteAccess).where(and(eq(siteAccess.orgId, orgId), eq(siteAccess.accountId, accountId)));
}

const sitesWithoutAccess = builtOnce((db) =>
  db
    .select({ siteId: siteAccess.siteId })
    .from(siteAccess)
    .where(
      and(
        eq(siteAccess.orgId, sql.placeholder('orgId')),
        eq(siteAccess.accountId, sql.placeholder('accountId')),
        eq(siteAccess.hasAccess, false),
      ),
    )
    .prepare('sites_without_access'),
);

/** Sites of the org where the original experience's "Has access on site" toggle is off for the account. */
export async function listSitesWithoutAccess(
  db: Executor,
  orgId: string,
  accountId: string,
): Promise<string[]> {
  const rows = await sitesWithoutAccess(db).execute({ orgId, accountId });
  return rows.map((r) => r.siteId);
}
