import { createRoute, z } from '@hono/zod-openapi';
import { AUTHENTICATED, errorResponses, ZJsmError } from '#src/api/pagination.ts';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { getRequest } from '#src/domain/servicedesk/get-request.ts';
import { loadPeople } from '#src/domain/servicedesk/people.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { presentIssue, ZIssue } from './issue.schemas.ts';
import { siteBase } from './jsm.presenters.ts';
import { jsonContent, ZSiteParam } from './jsm.schemas.ts';

const issueRoute = createRoute({
  method: 'get',
  path: '/sites/{site}/rest/api/3/issue/{issueIdOrKey}',
  tags: ['Jira platform: issues'],
  summary: 'Get a request as a Jira issue',
  description:
    'What a request’s `jiraRest` link points at: the fields a request has (summary, description, status, reporter, assignee, dates). Same visibility as the request.',
  security: AUTHENTICATED,
  request: {
    params: z.object({
      site: ZSiteParam,
      issueIdOrKey: z
        .string()
        .min(1)
        .max(40)
        .openapi({ param: { name: 'issueIdOrKey', in: 'path' }, description: 'Request id or key' }),
    }),
  },
  responses: { 200: jsonContent(ZIssue, 'The issue'), ...errorResponses(ZJsmError, [401, 404]) },
});

/** A generic person silhouette; `s` sizes it (16–128). Not personal data, so it answers without credentials. */
function avatarSvg(size: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 32 32" role="img" aria-label="Avatar"><rect width="32" height="32" rx="16" fill="#DFE1E6"/><circle cx="16" cy="12.5" r="5.5" fill="#6B778C"/><path d="M6.5 27c1.6-5 5.3-7.5 9.5-7.5s7.9 2.5 9.5 7.5" fill="#6B778C"/></svg>`;
}

export const jiraIssueRoutes = createRouter()
  .openapi(issueRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const { viewer, request } = await getRequest(useCaseContext(c, { site }), issueIdOrKey);
    const people = await loadPeople(services.db, viewer, [request.reporterId, request.assigneeId]);
    return c.json(presentIssue(siteBase(c, site), request, people), 200);
  })
  .get('/sites/:site/avatars/default.svg', (c) => {
    const size = Math.min(128, Math.max(16, Number(c.req.query('s')) || 48));
    return c.body(avatarSvg(size), 200, {
      'content-type': 'image/svg+xml',
      'cache-control': 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
    });
  });
