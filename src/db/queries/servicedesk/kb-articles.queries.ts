import { and, asc, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { kbArticles, serviceDesks } from '../../schema/index.ts';
import { deskReachableBy } from './service-desks.queries.ts';

export type KbArticleRow = typeof kbArticles.$inferSelect;

export async function insertKbArticle(
  db: Executor,
  row: typeof kbArticles.$inferInsert,
): Promise<KbArticleRow> {
  const [created] = await db.insert(kbArticles).values(row).returning();
  return created!;
}

/**
 * SQL: a customer's site user (null: none on the site yet) can read the article: its desk is reachable by them,
 * or it is site-wide and at least one desk of the site is (a stranger to every desk reads no article).
 */
function articleReadableBy(siteUserId: string | null): SQL {
  return sql`exists (select 1 from ${serviceDesks} where ${serviceDesks.siteId} = ${kbArticles.siteId}
    and (${kbArticles.serviceDeskId} is null or ${serviceDesks.id} = ${kbArticles.serviceDeskId})
    and ${deskReachableBy(siteUserId)})`;
}

/**
 * Articles of a site whose title or text contains every word of `query` (case-insensitive), titles first.
 * `serviceDeskId` narrows to one desk's articles plus the site-wide ones; `customerSiteUserId` (when set, even
 * to null) keeps the articles that customer can read.
 */
export async function searchKbArticles(
  db: Executor,
  siteId: string,
  options: {
    query: string;
    serviceDeskId?: number;
    customerSiteUserId?: string | null;
    start: number;
    limit: number;
  },
): Promise<KbArticleRow[]> {
  const words = options.query.split(/\s+/).filter(Boolean).slice(0, 10);
  const conditions = [eq(kbArticles.siteId, siteId)];
  if (options.customerSiteUserId !== undefined)
    conditions.push(articleReadableBy(options.customerSiteUserId));
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

/** An article of the site; with `customerSiteUserId` (even null), only one that customer can read. */
export async function findKbArticle(
  db: Executor,
  siteId: string,
  id: number,
  options: { customerSiteUserId?: string | null } = {},
) {
  const conditions = [eq(kbArticles.siteId, siteId), eq(kbArticles.id, id)];
  if (options.customerSiteUserId !== undefined)
    conditions.push(articleReadableBy(options.customerSiteUserId));
  const [row] = await db
    .select()
    .from(kbArticles)
    .where(and(...conditions));
  return row;
}
