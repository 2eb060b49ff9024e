import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { Executor } from '#src/db/client.ts';
import {
  findKbArticle,
  insertKbArticle,
  type KbArticleRow,
  searchKbArticles,
} from '#src/db/queries/servicedesk/kb-articles.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { assertAgent, type DeskViewer, deskViewerOf } from './desk-viewer.ts';
import { getServiceDeskFor } from './get-service-desk.ts';

/** Tags and attributes a KB article may keep; everything else (scripts, handlers, styles) is stripped. */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'h1', 'h2'],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], code: ['class'] },
  allowedSchemes: ['http', 'https', 'mailto'],
};

/** Article body as safe HTML: Markdown is rendered with marked, then everything is sanitized. */
export function renderArticleBody(body: string, format: 'markdown' | 'html'): string {
  const html = format === 'markdown' ? (marked.parse(body, { async: false }) as string) : body;
  return sanitizeHtml(html, SANITIZE);
}

/** Plain text of an article body, for excerpts. */
export function articleText(bodyHtml: string): string {
  return sanitizeHtml(bodyHtml, { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
}

/**
 * Writes a KB article (agents), site-wide or for one desk, in the caller's transaction.
 * @throws {AppError} `auth.forbidden`, `servicedesk.not_found`, `request.invalid_input`
 */
export async function createKbArticle(
  ctx: UseCaseContext<DeskTenant>,
  input: { title: string; body: string; format: 'markdown' | 'html'; serviceDeskId?: number },
  tx: Executor = ctx.services.db,
): Promise<KbArticleRow> {
  const viewer = await deskViewerOf(ctx, tx);
  const { site } = viewer;
  assertAgent(viewer);
  const title = input.title.trim();
  if (!title) {
    throw new AppError('request.invalid_input', 'An article needs a title.', {
      details: [{ path: 'title', message: 'required' }],
    });
  }
  const desk =
    input.serviceDeskId === undefined
      ? undefined
      : await getServiceDeskFor({ db: tx }, viewer, input.serviceDeskId);
  return insertKbArticle(tx, {
    orgId: site.orgId,
    siteId: site.id,
    serviceDeskId: desk?.id ?? null,
    title,
    bodyHtml: renderArticleBody(input.body, input.format),
  });
}

/** Agents read every article of the site; a customer only those of desks they reach (see the query). */
function customerScope(viewer: DeskViewer): string | null | undefined {
  return viewer.role === 'agent' ? undefined : viewer.siteUserId;
}

/**
 * Searches the site's articles (any signed-in caller of the site; customers only within desks they reach, so a
 * stranger to the site finds nothing).
 * `limit + 1` rows.
 * @throws {AppError} `request.invalid_input` without a query, `servicedesk.not_found`
 */
export async function searchKbArticlesFor(
  ctx: UseCaseContext<DeskTenant>,
  input: { query: string; serviceDeskId?: string | number; start: number; limit: number },
): Promise<KbArticleRow[]> {
  const { db } = ctx.services;
  const viewer = await deskViewerOf(ctx);
  const { site } = viewer;
  if (!input.query.trim()) {
    throw new AppError('request.invalid_input', 'The query parameter is required.', {
      details: [{ path: 'query', message: 'required' }],
    });
  }
  const desk =
    input.serviceDeskId === undefined
      ? undefined
      : await getServiceDeskFor({ db }, viewer, input.serviceDeskId);
  return searchKbArticles(db, site.id, {
    query: input.query.trim(),
    serviceDeskId: desk?.id,
    customerSiteUserId: customerScope(viewer),
    start: input.start,
    limit: input.limit + 1,
  });
}

/**
 * One article of the site for reading (its sanitized HTML); an article the customer cannot read (see
 * `searchKbArticlesFor`) is not found.
 * @throws {AppError} `auth.unauthenticated`, `servicedesk.article_not_found`
 */
export async function getKbArticleFor(ctx: UseCaseContext<DeskTenant>, id: number): Promise<KbArticleRow> {
  const { db } = ctx.services;
  const viewer = await deskViewerOf(ctx);
  const { site } = viewer;
  const article = await findKbArticle(db, site.id, id, { customerSiteUserId: customerScope(viewer) });
  if (!article) throw new AppError('servicedesk.article_not_found', `No article ${id}.`);
  return article;
}
