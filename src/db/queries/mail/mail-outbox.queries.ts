import { and, asc, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { mailOutbox } from '../../schema/index.ts';
import { writeTenantless } from '../../tenant-scope.ts';

export type MailRow = typeof mailOutbox.$inferSelect;

export async function insertMail(db: Executor, row: typeof mailOutbox.$inferInsert): Promise<MailRow> {
  const [created] = await writeTenantless(row.orgId, () => db.insert(mailOutbox).values(row).returning());
  return created!;
}

export async function findMail(db: Executor, id: string): Promise<MailRow | undefined> {
  const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
  return row;
}

/** The messages of these ids still waiting for delivery, in id order. */
export async function findQueuedMails(db: Executor, ids: string[]): Promise<MailRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(mailOutbox)
    .where(and(inArray(mailOutbox.id, ids), eq(mailOutbox.status, 'queued')))
    .orderBy(asc(mailOutbox.id));
}

/** Marks queued messages delivered (`sent`) or kept in the outbox (`kept`); those already done stay as they are. */
export async function markMailsDone(db: Executor, ids: string[], status: 'sent' | 'kept', at: Date) {
  if (ids.length === 0) return;
  await db
    .update(mailOutbox)
    .set({ status, sentAt: at, attempts: sql`${mailOutbox.attempts} + 1`, lastError: null })
    .where(and(inArray(mailOutbox.id, ids), eq(mailOutbox.status, 'queued')));
}

export async function markMailAttemptFailed(db: Executor, id: string, error: string) {
  await db
    .update(mailOutbox)
    .set({ attempts: sql`${mailOutbox.attempts} + 1`, lastError: error.slice(0, 1000) })
    .where(eq(mailOutbox.id, id));
}

/** The newest message to an address (case-insensitive), optionally of one kind. */
export async function findLastMailTo(db: Executor, to: string, kind?: string): Promise<MailRow | undefined> {
  const conditions = [sql`lower(${mailOutbox.to}) = lower(${to})`];
  if (kind) conditions.push(eq(mailOutbox.kind, kind));
  const [row] = await db
    .select()
    .from(mailOutbox)
    .where(and(...conditions))
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(1);
  return row;
}

/** A page of an org's outbox, newest first (keyset on created_at, id). */
export async function listOrgMail(
  db: Executor,
  orgId: string,
  options: { to?: string; before?: Date; limit: number },
) {
  const conditions: SQL[] = [eq(mailOutbox.orgId, orgId)];
  if (options.to) conditions.push(eq(mailOutbox.to, options.to));
  if (options.before) conditions.push(lt(mailOutbox.createdAt, options.before));
  return db
    .select()
    .from(mailOutbox)
    .where(and(...conditions))
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(options.limit);
}

/** The newest mail of every organization and of none (system mail), optionally to one recipient (any case). */
export async function listAllMail(db: Executor, options: { to?: string; limit: number }) {
  return db
    .select()
    .from(mailOutbox)
    .where(options.to ? sql`lower(${mailOutbox.to}) = lower(${options.to})` : undefined)
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(options.limit);
}
