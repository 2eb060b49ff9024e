import { sql } from 'drizzle-orm';
import { createApiKey } from '#src/domain/directory/api-keys.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { addComment } from '#src/domain/servicedesk/add-comment.ts';
import { createRequest } from '#src/domain/servicedesk/create-request.ts';
import { createKbArticle } from '#src/domain/servicedesk/knowledge-base.ts';
import type { AppServices } from '#src/domain/services.ts';
import { buildAccount, buildBasicAuth, buildTenant, unique } from '#src/test/factories/directory.ts';
import {
  buildAgent,
  buildCustomerOrganization,
  buildDeskCustomer,
  buildServiceDesk,
  customerCookie,
} from '#src/test/factories/servicedesk.ts';
import { bearer } from '#src/test/helpers/server.ts';
import type { Expectation } from './expectations.ts';

/**
 * @fileoverview The personas and the two seeded tenants ("worlds") of the generated authorization test: building
 * a tenant with everything the routes touch, the headers each persona sends, and the victim's values for path
 * parameters.
 */

export type Persona =
  | 'anonymous'
  | 'other_api_key'
  | 'other_org_admin'
  | 'other_site_admin'
  | 'other_site_agent'
  | 'other_site_customer'
  | 'same_site_bystander'
  | 'owner';

export const ATTACKERS: Persona[] = [
  'anonymous',
  'other_api_key',
  'other_org_admin',
  'other_site_admin',
  'other_site_agent',
  'other_site_customer',
  'same_site_bystander',
];

export interface World {
  services: AppServices;
  orgId: string;
  orgName: string;
  siteId: string;
  site: string;
  apiKey: string;
  apiKeyId: string;
  groupId: string;
  adminAuth: Record<string, string>;
  siteAdminAuth: Record<string, string>;
  agentAuth: Record<string, string>;
  agentAccountId: string;
  customer: { id: string; email: string; headers: Record<string, string> };
  bystander: { id: string; headers: Record<string, string> };
  deskId: number;
  requestTypeId: number;
  issueKey: string;
  commentId: number;
  organizationId: number;
  articleId: number;
  /** Strings that only the victim's rightful users may ever see. */
  markers: string[];
}

/** The rows of a raw query on either driver. */
export function rowsOf(result: unknown): Array<Record<string, unknown>> {
  const rows = result && typeof result === 'object' && 'rows' in result ? result.rows : result;
  return rows as Array<Record<string, unknown>>;
}

/** One tenant with everything the routes touch: desk, agent, site admin, customers, a request, a KB article. */
export async function buildWorld(services: AppServices, mode: 'centralized' | 'original'): Promise<World> {
  const t = await buildTenant(services, mode);
  const { desk, requestType } = await buildServiceDesk(services, t.site);
  const agent = await buildAgent(services, t);
  const siteAdmin = await buildAccount(services, {
    orgId: t.org.id,
    siteAdminOf: [t.site.id],
    siteUserOn: [t.site.id],
  });
  const owner = await buildDeskCustomer(services, t.site, desk.id, {
    email: `${unique('victim')}@victim.test`,
  });
  const bystander = await buildDeskCustomer(services, t.site, desk.id);
  const summary = unique('Secret summary ');
  const agentActor = {
    type: 'account' as const,
    accountId: agent.account.id,
    email: agent.account.email,
    via: 'api_token' as const,
  };
  const { request } = await createRequest({ services, actor: agentActor, tenant: { site: t.site } }, {
    serviceDeskId: desk.id,
    requestTypeId: requestType.id,
    summary,
    description: 'victim request',
    raiseOnBehalfOf: owner.customer.id,
  } as never);
  const comment = await addComment(
    { services, actor: agentActor, tenant: { site: t.site } },
    {
      issueIdOrKey: request.issueKey,
      body: 'victim comment',
      isPublic: true,
    },
  );
  const organization = await buildCustomerOrganization(services, t.site, desk.id, [owner.customer.id]);
  const title = unique('Secret article ');
  const article = await services.db.transaction((tx) =>
    createKbArticle(
      { services, actor: SYSTEM, tenant: { site: t.site } },
      { title, body: `${title} body`, format: 'markdown' },
      tx,
    ),
  );
  const key = await createApiKey(
    { services, actor: SYSTEM, tenant: { orgId: t.org.id } },
    { name: unique('key-') },
  );
  const [group] = rowsOf(
    await services.db.execute(sql`select id from groups where org_id = ${t.org.id} order by name limit 1`),
  );
  return {
    services,
    orgId: t.org.id,
    orgName: t.org.name,
    siteId: t.site.id,
    site: t.site.name,
    apiKey: t.apiKey,
    apiKeyId: key.key.id,
    groupId: String(group!.id),
    adminAuth: await buildBasicAuth(services, t.admin),
    siteAdminAuth: await buildBasicAuth(services, siteAdmin),
    agentAuth: agent.auth,
    agentAccountId: agent.account.id,
    customer: {
      id: owner.customer.id,
      email: owner.customer.email!,
      headers: await customerCookie(services, owner.customer),
    },
    bystander: { id: bystander.customer.id, headers: await customerCookie(services, bystander.customer) },
    deskId: desk.id,
    requestTypeId: requestType.id,
    issueKey: request.issueKey,
    commentId: comment.id,
    organizationId: organization.id,
    articleId: article.id,
    markers: [owner.customer.email!, agent.account.email, siteAdmin.email, summary, title, t.org.name],
  };
}

/** The headers of a persona, with the victim and the attacker tenant given. */
export function headersOf(persona: Persona, victim: World, attacker: World, owner: Expectation['owner']) {
  switch (persona) {
    case 'anonymous':
      return {};
    case 'other_api_key':
      return bearer(attacker.apiKey);
    case 'other_org_admin':
      return attacker.adminAuth;
    case 'other_site_admin':
      return attacker.siteAdminAuth;
    case 'other_site_agent':
      return attacker.agentAuth;
    case 'other_site_customer':
      return attacker.customer.headers;
    case 'same_site_bystander':
      return victim.bystander.headers;
    case 'owner':
      if (owner === 'agent') return victim.agentAuth;
      if (owner === 'customer' || owner === 'desk_customer') return victim.customer.headers;
      return bearer(victim.apiKey);
  }
}

/** The victim's value for a path parameter. */
export function paramValue(name: string, path: string, w: World): string {
  const values: Record<string, string | number> = {
    orgId: w.orgId,
    siteId: w.siteId,
    site: w.site,
    accountId: path.includes('/admin/') ? w.agentAccountId : w.customer.id,
    customerId: w.customer.id,
    serviceDeskId: w.deskId,
    deskId: w.deskId,
    requestTypeId: w.requestTypeId,
    typeId: w.requestTypeId,
    issueIdOrKey: w.issueKey,
    key: w.issueKey,
    commentId: w.commentId,
    organizationId: w.organizationId,
    pageId: w.articleId,
    groupId: w.groupId,
    keyId: w.apiKeyId,
    directoryId: '-',
    taskId: 'no-such-task',
    tokenId: 'no-such-token',
    // The worlds hold no SLA metric, attachment or approval of their own: these ids answer 404 even to the owner.
    slaMetricId: 1,
    queueId: 1,
    attachmentId: 999999,
    eventId: 999999,
    approvalId: 999999,
    action: 'revoke',
    file: 'x.css',
  };
  if (!(name in values)) throw new Error(`No victim value for path parameter {${name}} of ${path}: add one.`);
  return String(values[name]);
}

export function fillPath(path: string, w: World): string {
  return path
    .replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(paramValue(name, path, w)))
    .replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(paramValue(name, path, w)));
}
