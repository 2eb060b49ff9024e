import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { getKbArticleFor, searchKbArticlesFor } from '#src/domain/servicedesk/knowledge-base.ts';
import { type AppEnv, createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, ZJsmError } from '../pagination.ts';
import { paged, presentArticle, siteBase } from './jsm.presenters.ts';
import {
  jsonContent as json,
  pagedSchema,
  ZArticle,
  ZDeskParams,
  ZPageQuery,
  ZSiteParam,
} from './jsm.schemas.ts';
import { kbPageStart, withCursorLinks, ZKbCursorQuery } from './kb-cursor.ts';

/** @fileoverview The knowledge base of a site and of its service desks (JSM `/knowledgebase/article`, `…/servicedesk/{serviceDeskId}/knowledgebase/article`). */

const TAGS = ['JSM: service desks'];
const BASE = '/sites/{site}/rest/servicedeskapi';

const ZArticleQuery = z.object({
  query: z.string().max(200).optional().openapi({ description: 'Search text (required; 400 without it)' }),
  highlight: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Wrap matches in @@@hl@@@…@@@endhl@@@' }),
  start: ZPageQuery.shape.start.openapi({ description: 'Deprecated, as Atlassian’s: use `cursor`' }),
  limit: ZPageQuery.shape.limit,
  ...ZKbCursorQuery.shape,
});

const deskArticlesRoute = createRoute({
  method: 'get',
  path: `${BASE}/servicedesk/{serviceDeskId}/knowledgebase/article`,
  tags: TAGS,
  summary: 'Search the knowledge base of a service desk',
  description: 'Articles of the desk and site-wide ones whose title or text contains every word of `query`.',
  security: AUTHENTICATED,
  request: { params: ZDeskParams, query: ZArticleQuery },
  responses: {
    200: json(pagedSchema(ZArticle, 'PagedArticleDTO'), 'A page of articles'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const siteArticlesRoute = createRoute({
  method: 'get',
  path: `${BASE}/knowledgebase/article`,
  tags: TAGS,
  summary: 'Search the knowledge base of a site',
  description: 'Articles of the site whose title or text contains every word of `query` (400 without it).',
  security: AUTHENTICATED,
  request: { params: z.object({ site: ZSiteParam }), query: ZArticleQuery },
  responses: {
    200: json(pagedSchema(ZArticle, 'PagedArticleDTO'), 'A page of articles'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const viewArticleRoute = createRoute({
  method: 'get',
  path: `${BASE}/knowledgebase/article/view/{pageId}`,
  tags: TAGS,
  summary: 'View a knowledge-base article',
  description: 'The article as sanitized HTML (what search results link to as `content.iframeSrc`).',
  security: AUTHENTICATED,
  request: {
    params: z.object({
      site: ZSiteParam,
      pageId: z
        .string()
        .regex(/^\d{1,9}$/)
        .openapi({ param: { name: 'pageId', in: 'path' }, description: 'Article id' }),
    }),
  },
  responses: {
    200: { description: 'The article', content: { 'text/html': { schema: z.string() } } },
    ...errorResponses(ZJsmError, [401, 404]),
  },
});

/** A page of the articles matching the query, on one desk or the whole site, with JSM's cursor links. */
async function articlesPage(
  c: Context<AppEnv>,
  siteName: string,
  serviceDeskId: string | undefined,
  q: z.infer<typeof ZArticleQuery>,
) {
  const site = await getSiteByName(c.get('services').db, siteName);
  const { query, highlight, cursor, prev, ...rest } = q;
  const page = { start: kbPageStart({ cursor, prev, ...rest }), limit: rest.limit };
  const rows = await searchKbArticlesFor(useCaseContext(c, { site }), {
    query: query ?? '',
    ...(serviceDeskId === undefined ? {} : { serviceDeskId }),
    ...page,
  });
  const base = siteBase(c, site);
  return withCursorLinks(
    paged(c, site, rows, page, (a) => presentArticle(base, a, query ?? '', highlight === 'true')),
  );
}

export const knowledgeBaseRoutes = createRouter()
  .openapi(deskArticlesRoute, async (c) => {
    const { site, serviceDeskId } = c.req.valid('param');
    return c.json(await articlesPage(c, site, serviceDeskId, c.req.valid('query')), 200);
  })
  .openapi(viewArticleRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, pageId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const article = await getKbArticleFor(useCaseContext(c, { site }), Number(pageId));
    const title = article.title.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
    return c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${article.bodyHtml}</body></html>`,
      200,
    );
  })
  .openapi(siteArticlesRoute, async (c) =>
    c.json(await articlesPage(c, c.req.valid('param').site, undefined, c.req.valid('query')), 200),
  );
