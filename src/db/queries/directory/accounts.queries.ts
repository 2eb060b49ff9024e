import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { accounts } from '../../schema/index.ts';

export type AccountRow = typeof accounts.$inferSelect;

export async function insertAccount(db: Executor, row: typeof accounts.$inferInsert): Promise<AccountRow> {
  const [created] = await db.insert(accounts).values(row).returning();
  return created!;
}

export async function findAccount(db: Executor, accountId: string): Promise<AccountRow | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, accountId));
  return row;
}

export async function findAccountByEmail(db: Executor, email: string): Promise<AccountRow | undefined> {
  const [row] = await db.select().from(accounts).where(sql`lower(${accounts.email}) = lower(${email})`);
  return row;
}

export async function setAccountPassword(db: Executor, accountId: string, passwordHash: string, at: Date) {
  await db.update(accounts).set({ passwordHash, updatedAt: at }).where(eq(accounts.id, accountId));
}

export async function markAccountEmailVerified(db: Executor, accountId: string, at: Date) {
  await db
    .update(accounts)
    .set({ emailVerifiedAt: at, updatedAt: at })
    .where(and(eq(accounts.id, accountId), isNull(accounts.emailVerifiedAt)));
}

export async function updateAccountProfile(
  db: Executor,
  accountId: string,
  patch: { name?: string; timeZone?: string; locale?: string },
  at: Date,
) {
  const [row] = await db
    .update(accounts)
    .set({ ...patch, updatedAt: at })
    .where(eq(accounts.id, accountId))
    .returning();
  return row;
}

/** Accounts whose (lower-cased) email is among `emails`. */
export async function findAccountsByEmails(db: Executor, emails: string[]) {
  if (emails.length === 0) return [];
  return db
    .select()
    .from(accounts)
    .where(
      inArray(
        sql<string>`lower(${accounts.email})`,
        emails.map((e) => e.toLowerCase()),
      ),
    );
}

/** Lower-cased emails among these that an account holds (the duplicate badges of a customers page). */
export async function listAccountEmailsAmong(db: Executor, emails: string[]): Promise<string[]> {
  if (emails.length === 0) return [];
  const rows = await db
    .select({ email: sql<string>`lower(${accounts.email})` })
    .from(accounts)
    .where(
      inArray(
        sql`lower(${accounts.email})`,
        emails.map((e) => e.toLowerCase()),
      ),
    );
  return rows.map((r) => r.email);
}
