import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AUTHENTICATED, errorResponses, ZJsmError } from '#src/api/pagination.ts';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import { lookupSiteGroup } from '#src/domain/servicedesk/lookup-group.ts';
import { lookupMyself, lookupSiteUser, type SiteProfile } from '#src/domain/servicedesk/lookup-user.ts';
import type { AppEnv } from '#src/web/http.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { siteBase } from './jsm.presenters.ts';
import { ZSiteParam } from './jsm.schemas.ts';

const TAGS = ['Jira platform: users'];
const BASE = '/sites/{site}/rest/api/3';

const ZGroupName = z
  .object({ name: z.string(), groupId: z.string().nullable(), self: z.string() })
  .openapi('GroupName');

const ZJiraUser = z
  .object({
    self: z.string(),
    accountId: z.string(),
    accountType: z.enum(['atlassian', 'app', 'customer']).describe('`customer` for portal-only customers'),
    emailAddress: z.string().optional(),
    avatarUrls: z.record(z.string(), z.string()),
    displayName: z.string(),
    active: z.boolean(),
    timeZone: z.string(),
    locale: z.string(),
    groups: z.object({ size: z.number().int(), items: z.array(ZGroupName) }),
    applicationRoles: z.object({ size: z.number().int(), items: z.array(z.object({ key: z.string() })) }),
    expand: z.string(),
  })
  .openapi('JiraUser');

const ZAccountIdQuery = z.object({
  accountId: z.string().min(1).max(128).openapi({ description: 'Account id or portal-only `qm:` id' }),
});

const userRoute = createRoute({
  method: 'get',
  path: `${BASE}/user`,
  tags: TAGS,
  summary: 'Get a user',
  description:
    'A user of the site: `accountType` is `atlassian` for accounts and `customer` for portal-only customers of this site. Others are not found.',
  security: AUTHENTICATED,
  request: { params: z.object({ site: ZSiteParam }), query: ZAccountIdQuery },
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: ZJiraUser } } },
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const groupsRoute = createRoute({
  method: 'get',
  path: `${BASE}/user/groups`,
  tags: TAGS,
  summary: 'Get the groups of a user',
  description: 'Group names of the user in the site’s organization (portal-only customers belong to none).',
  security: AUTHENTICATED,
  request: { params: z.object({ site: ZSiteParam }), query: ZAccountIdQuery },
  responses: {
    200: { description: 'Groups', content: { 'application/json': { schema: z.array(ZGroupName) } } },
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const myselfRoute = createRoute({
  method: 'get',
  path: `${BASE}/myself`,
  tags: TAGS,
  summary: 'Get the current user',
  description:
    'The caller (an account or a portal-only customer of this site). An org API key is no user: 403 (another org’s key: 404).',
  security: AUTHENTICATED,
  request: { params: z.object({ site: ZSiteParam }) },
  responses: {
    200: { description: 'The caller', content: { 'application/json': { schema: ZJiraUser } } },
    ...errorResponses(ZJsmError, [401, 403, 404]),
  },
});

const ZJiraGroup = z
  .object({
    name: z.string(),
    groupId: z.string().nullable(),
    self: z.string(),
    users: z.object({
      size: z.number().int().describe('Members of the group'),
      items: z
        .array(z.object({ accountId: z.string() }))
        .describe('Always empty: members are counted, not listed (no `expand=users`)'),
      'max-results': z.number().int(),
      'start-index': z.number().int(),
      'end-index': z.number().int(),
    }),
    expand: z.string(),
  })
  .openapi('JiraGroup');

const groupRoute = createRoute({
  method: 'get',
  path: `${BASE}/group`,
  tags: TAGS,
  summary: 'Get a group',
  description:
    'A group of the site’s organization by name (the `self` link of a user’s groups). Agents and admins of the site read any group; others only groups they are members of (404 otherwise).',
  security: AUTHENTICATED,
  request: {
    params: z.object({ site: ZSiteParam }),
    query: z.object({ groupname: z.string().min(1).max(255).openapi({ description: 'Group name' }) }),
  },
  responses: {
    200: { description: 'The group', content: { 'application/json': { schema: ZJiraGroup } } },
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

function groupSelf(base: string, name: string): string {
  return `${base}/rest/api/3/group?groupname=${encodeURIComponent(name)}`;
}

function groupItems(c: Context<AppEnv>, site: SiteRow, profile: SiteProfile) {
  const base = siteBase(c, site);
  return profile.groups.map((name) => ({
    name,
    groupId: null,
    self: groupSelf(base, name),
  }));
}

function presentJiraUser(c: Context<AppEnv>, site: SiteRow, profile: SiteProfile): z.infer<typeof ZJiraUser> {
  const base = siteBase(c, site);
  const { person } = profile;
  const avatar = (size: number) => `${base}/avatars/default.svg?s=${size}`;
  const items = groupItems(c, site, profile);
  return {
    self: `${base}/rest/api/3/user?accountId=${encodeURIComponent(person.accountId)}`,
    accountId: person.accountId,
    accountType: person.accountType,
    ...(person.emailAddress ? { emailAddress: person.emailAddress } : {}),
    avatarUrls: { '16x16': avatar(16), '24x24': avatar(24), '32x32': avatar(32), '48x48': avatar(48) },
    displayName: person.displayName,
    active: person.active,
    timeZone: person.timeZone,
    locale: profile.locale,
    groups: { size: items.length, items },
    applicationRoles: { size: 0, items: [] },
    expand: 'groups,applicationRoles',
  };
}

export const jiraRoutes = createRouter()
  .openapi(userRoute, async (c) => {
    const { db } = c.get('services');
    const site = await getSiteByName(db, c.req.valid('param').site);
    const profile = await lookupSiteUser(useCaseContext(c, { site }), c.req.valid('query').accountId);
    return c.json(presentJiraUser(c, site, profile), 200);
  })
  .openapi(groupsRoute, async (c) => {
    const { db } = c.get('services');
    const site = await getSiteByName(db, c.req.valid('param').site);
    const profile = await lookupSiteUser(useCaseContext(c, { site }), c.req.valid('query').accountId);
    return c.json(groupItems(c, site, profile), 200);
  })
  .openapi(groupRoute, async (c) => {
    const { db } = c.get('services');
    const site = await getSiteByName(db, c.req.valid('param').site);
    const group = await lookupSiteGroup(useCaseContext(c, { site }), c.req.valid('query').groupname);
    return c.json(
      {
        name: group.name,
        groupId: group.id,
        self: groupSelf(siteBase(c, site), group.name),
        users: { size: group.memberCount, items: [], 'max-results': 50, 'start-index': 0, 'end-index': 0 },
        expand: 'users',
      },
      200,
    );
  })
  .openapi(myselfRoute, async (c) => {
    const { db } = c.get('services');
    const site = await getSiteByName(db, c.req.valid('param').site);
    const profile = await lookupMyself(useCaseContext(c, { site }));
    return c.json(presentJiraUser(c, site, profile), 200);
  });
