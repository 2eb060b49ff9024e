import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { kbArticles } from '../../schema/index.ts';

export type KbArticleRow = typeof kbArticles.$inferSelect;

export async function insertKbArticle(
  db: Executor,
  row: typeof kbArticles.$inferInsert,
): Promise<KbArticleRow> {
  const [created] = await db.insert(kbArticles).values(row).returning();
  return created!;
}

/**
 * Articles of a site whose title or text contains every word of `query` (case-insensitive), titles first.
 * `serviceDeskId` narrows to one desk's articles plus the site-wide ones.
 */
export async function searchKbArticles(
  db: Executor,
  siteId: string,
  options: { query: string; serviceDeskId?: number; start: number; limit: number },
): Promise<KbArticleRow[]> {
  const words = options.query.split(/\s+/).filter(Boolean).slice(0, 10);
  const conditions = [eq(kbArticles.siteId, siteId)];
  if (options.serviceDeskId !== undefined)
    conditions.push(
      or(eq(kbArticles.serviceDeskId, options.serviceDeskId), isNull(kbArticles.serviceDeskId))!,
    );
  for (const word of words) {
    const like = `%${word.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conditions.push(sql`(${kbArticles.title} ilike ${like} or ${kbArticles.bodyHtml} ilike ${like})`);
  }
  const first = words[0] ? `%${words[0]}%` : '%';
  return db
    .select()
    .from(kbArticles)
    .where(and(...conditions))
    .orderBy(sql`case when ${kbArticles.title} ilike ${first} then 0 else 1 end`, asc(kbArticles.id))
    .limit(options.limit)
    .offset(options.start);
}

export async function findKbArticle(db: Executor, siteId: string, id: number) {
  const [row] = await db
    .select()
    .from(kbArticles)
    .where(and(eq(kbArticles.siteId, siteId), eq(kbArticles.id, id)));
  return row;
}
