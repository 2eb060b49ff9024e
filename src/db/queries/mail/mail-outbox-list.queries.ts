import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { mailOutbox } from '../../schema/index.ts';

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
