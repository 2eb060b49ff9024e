import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import { builtOnce } from '../../built-once.ts';
import type { Executor } from '../../client.ts';
import { accounts, orgMemberships } from '../../schema/index.ts';

export async function setMembershipStatus(
  tx: Executor,
  orgId: string,
  accountId: string,
  status: 'active' | 'suspended',
  now: Date,
): Promise<void> {
  await tx
    .update(orgMemberships)
    .set({ status, updatedAt: now })
    .where(and(eq(orgMemberships.orgId, orgId), eq(orgMemberships.accountId, accountId)));
}

/** Locks the membership row so concurrent changes to one member run one at a time. */
export async function lockOrgMembership(tx: Executor, orgId: string, accountId: string) {
  const [row] = await tx
    .select()
    .from(orgMemberships)
    .where(and(eq(orgMemberships.orgId, orgId), eq(orgMemberships.accountId, accountId)))
    .for('update');
  return row;
}

/** Which of these accounts are members of the org. */
export async function listMemberIds(db: Executor, orgId: string, accountIds: string[]): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .select({ accountId: orgMemberships.accountId })
    .from(orgMemberships)
    .where(and(eq(orgMemberships.orgId, orgId), inArray(orgMemberships.accountId, accountIds)));
  return rows.map((r) => r.accountId);
}

export async function insertOrgMembership(db: Executor, orgId: string, accountId: string) {
  await db.insert(orgMemberships).values({ orgId, accountId }).onConflictDoNothing();
}

const orgMembership = builtOnce((db) =>
  db
    .select()
    .from(orgMemberships)
    .where(
      and(
        eq(orgMemberships.orgId, sql.placeholder('orgId')),
        eq(orgMemberships.accountId, sql.placeholder('accountId')),
      ),
    )
    .prepare('org_membership'),
);

export async function findOrgMembership(db: Executor, orgId: string, accountId: string) {
  const [row] = await orgMembership(db).execute({ orgId, accountId });
  return row;
}

/** `search` as an ILIKE pattern: its own `%`, `_` and `\` match themselves. */
const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** Members whose name or email contains `search`, case-insensitive ("Find the user" after a bulk run). */
const memberSearch = (search: string) =>
  sql`(${accounts.name} ilike ${likePattern(search)} or ${accounts.email} ilike ${likePattern(search)})`;

/** A page of an org's members (accounts with a membership), ordered by account id. */
export async function listOrgMembers(
  db: Executor,
  orgId: string,
  afterAccountId: string | undefined,
  limit: number,
  /** Part of a name or email ("Find the user" after a bulk run), case-insensitive. */
  search?: string,
) {
  const conditions = [eq(orgMemberships.orgId, orgId)];
  if (afterAccountId) conditions.push(gt(accounts.id, afterAccountId));
  if (search) conditions.push(memberSearch(search));
  return db
    .select({
      account: accounts,
      membershipStatus: orgMemberships.status,
      // The org's member count rides along, so a page needs no second statement for its total.
      total: sql<number>`(select count(*)::int from ${orgMemberships} m where m.org_id = ${orgId})`,
    })
    .from(orgMemberships)
    .innerJoin(accounts, eq(accounts.id, orgMemberships.accountId))
    .where(and(...conditions))
    .orderBy(asc(accounts.id))
    .limit(limit);
}

/** The orders of the console's users list (then by account id, so the order is total and pages are stable). */
export type MemberSort = 'name' | 'email';

/** Where a keyset page starts: the sort value (lower-cased name or email) and account id of a row. */
export interface MemberCursor {
  key: string;
  id: string;
}

export interface MemberPageQuery {
  sort: MemberSort;
  descending: boolean;
  /** The rows that follow this one in the list's order (the next page). */
  after?: MemberCursor;
  /** The rows that come just before this one (the previous page); wins over `after`. */
  before?: MemberCursor;
  limit: number;
  /** Part of a name or email, case-insensitive. */
  search?: string;
}

/** `(lower(<alias>.<sort column>), <alias>.id)`: the list's order as a row value, for keyset comparisons. */
const memberKey = (alias: string, sort: MemberSort) =>
  sql.raw(`(lower(${alias}.${sort === 'email' ? 'email' : 'name'}), ${alias}.id)`);

/**
 * A keyset page of an org's members sorted by name or email (case-insensitive, then account id), with how many
 * match the search in all (`total`) and how many come before the page (`ahead`), both from the same snapshot.
 * New members arriving while someone pages (a bulk migration) never shift a page: no row shows twice or is
 * skipped. A `before` page is read backwards and returned in the list's order.
 */
export async function listOrgMembersSorted(db: Executor, orgId: string, query: MemberPageQuery) {
  const { sort, descending, before } = query;
  const cursor = before ?? query.after;
  // The comparison operators of the list's order; constants, written into the statement as they are.
  const [follows, precedes, upTo] = descending ? ['<', '>', '>='] : ['>', '<', '<='];
  const pattern = query.search ? likePattern(query.search) : undefined;
  const matching = (alias: string) =>
    pattern
      ? sql` and (${sql.raw(alias)}.name ilike ${pattern} or ${sql.raw(alias)}.email ilike ${pattern})`
      : sql``;
  const beyond = (alias: string, op: string) =>
    cursor ? sql` and ${memberKey(alias, sort)} ${sql.raw(op)} (${cursor.key}, ${cursor.id})` : sql``;
  const counted = (condition: SQL): SQL<number> =>
    sql<number>`(select count(*)::int from ${orgMemberships} m join ${accounts} a on a.id = m.account_id
      where m.org_id = ${orgId}${matching('a')}${condition})`;
  const backwards = before !== undefined;
  const column = sort === 'email' ? 'email' : 'name';
  const sortKey: SQL<string> = sql<string>`${sql.raw(`lower(accounts.${column})`)}`;
  const ahead: SQL<number> = cursor ? counted(beyond('a', backwards ? precedes : upTo)) : sql<number>`0`;
  const direction = descending !== backwards ? 'desc' : 'asc';
  const rows = await db
    .select({
      account: accounts,
      membershipStatus: orgMemberships.status,
      /** The row's place in the order, as the database compares it: the cursor of a page that starts here. */
      sortKey,
      total: counted(sql``),
      ahead,
    })
    .from(orgMemberships)
    .innerJoin(accounts, eq(accounts.id, orgMemberships.accountId))
    .where(
      sql`${orgMemberships.orgId} = ${orgId}${matching('accounts')}${beyond('accounts', backwards ? precedes : follows)}`,
    )
    .orderBy(sql.raw(`lower(accounts.${column}) ${direction}`), sql.raw(`accounts.id ${direction}`))
    .limit(query.limit);
  return backwards ? rows.reverse() : rows;
}

/** How many members the org has (whose name or email contains `search`, when given). */
export async function countOrgMembers(db: Executor, orgId: string, search?: string): Promise<number> {
  const conditions = [eq(orgMemberships.orgId, orgId)];
  if (search) conditions.push(memberSearch(search));
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orgMemberships)
    .innerJoin(accounts, eq(accounts.id, orgMemberships.accountId))
    .where(and(...conditions));
  return Number(row?.n ?? 0);
}

export async function deleteOrgMembership(tx: Executor, orgId: string, accountId: string): Promise<void> {
  await tx
    .delete(orgMemberships)
    .where(and(eq(orgMemberships.orgId, orgId), eq(orgMemberships.accountId, accountId)));
}

/** Organizations an account belongs to (its auth events are recorded in each). */
export async function listAccountOrgIds(db: Executor, accountId: string): Promise<string[]> {
  const rows = await db
    .select({ orgId: orgMemberships.orgId })
    .from(orgMemberships)
    .where(eq(orgMemberships.accountId, accountId));
  return rows.map((r) => r.orgId);
}

/** The org's members among these account ids (name and email), for showing ids as people. */
export async function listOrgMembersByIds(db: Executor, orgId: string, accountIds: string[]) {
  if (accountIds.length === 0) return [];
  return db
    .select({ id: accounts.id, name: accounts.name, email: accounts.email })
    .from(orgMemberships)
    .innerJoin(accounts, eq(accounts.id, orgMemberships.accountId))
    .where(and(eq(orgMemberships.orgId, orgId), inArray(accounts.id, accountIds)));
}
