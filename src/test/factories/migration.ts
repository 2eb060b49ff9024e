import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Executor } from '#src/db/client.ts';
import { findSiteUserOfAccount } from '#src/db/queries/directory/site-users.queries.ts';
import type { AppServices } from '#src/domain/services.ts';
import { buildCustomer, buildTenant, unique } from './directory.ts';

function rows<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** A service desk with one request type, one customer organization linked to it, inserted directly. */
export async function buildServiceDeskRows(db: Executor, input: { orgId: string; siteId: string }) {
  const key = unique('SD').toUpperCase().slice(0, 8);
  const [desk] = rows<{ id: number }>(
    await db.execute(sql`
      insert into service_desks (org_id, site_id, project_id, project_key, project_name, portal_name)
      values (${input.orgId}, ${input.siteId}, ${Math.floor(Math.random() * 1e6)}, ${key}, ${key}, ${`${key} portal`})
      returning id`),
  );
  const [type] = rows<{ id: number }>(
    await db.execute(sql`
      insert into request_types (org_id, service_desk_id, name) values (${input.orgId}, ${desk!.id}, 'Get help')
      returning id`),
  );
  const [org] = rows<{ id: number }>(
    await db.execute(sql`
      insert into customer_organizations (org_id, site_id, name) values (${input.orgId}, ${input.siteId}, ${unique('Org ')})
      returning id`),
  );
  await db.execute(sql`
    insert into service_desk_organizations (org_id, service_desk_id, customer_organization_id)
    values (${input.orgId}, ${desk!.id}, ${org!.id})`);
  return {
    serviceDeskId: desk!.id,
    requestTypeId: type!.id,
    customerOrganizationId: org!.id,
    projectKey: key,
  };
}

export interface HistoryInput {
  orgId: string;
  siteId: string;
  serviceDeskId: number;
  requestTypeId: number;
  customerOrganizationId: number;
  projectKey: string;
  /** The customer's site user: reporter, comment author, participant, approver, member. */
  siteUserId: string;
  /** Another site user (an agent): assignee, second participant, author of the other comments. */
  agentSiteUserId: string;
  requests: number;
  commentsPerRequest?: number;
  /** 1 = the customer only, 2 = the customer and the agent. */
  participantsPerRequest?: 1 | 2;
  /** Adds an approval per request with the customer as approver. */
  approvals?: boolean;
  /**
   * Adds the customer's other activity: an attachment, a satisfaction rating and a notification choice per
   * request, and the customer as an approver of the request type.
   */
  activity?: boolean;
}

/**
 * A customer's history inserted set-based (one statement per table): requests reported by the customer (every
 * tenth raised by the agent on the customer's behalf), comments alternating customer/agent, participants,
 * approvals, membership in the customer organization and in the desk's customers.
 */
export async function buildHistory(db: Executor, input: HistoryInput): Promise<void> {
  const prefix = `${input.projectKey}-${randomBytes(3).toString('hex')}`;
  const c = input.commentsPerRequest ?? 3;
  await db.execute(sql`
    insert into requests (org_id, site_id, service_desk_id, request_type_id, issue_key, summary, reporter_id, raised_by_id, assignee_id)
    select ${input.orgId}, ${input.siteId}, ${input.serviceDeskId}, ${input.requestTypeId}, ${prefix} || '-' || g,
      'Request ' || g, ${input.siteUserId},
      case when g % 10 = 0 then ${input.agentSiteUserId} else null end,
      case when g % 2 = 0 then ${input.agentSiteUserId} else null end
    from generate_series(1, ${input.requests}) g`);
  const reqs = sql`(select id, org_id from requests where issue_key like ${`${prefix}-%`} and site_id = ${input.siteId})`;
  if (c > 0) {
    await db.execute(sql`
      insert into request_comments (org_id, request_id, author_id, body)
      select r.org_id, r.id, case when k % 2 = 1 then ${input.siteUserId} else ${input.agentSiteUserId} end, 'Comment ' || k
      from ${reqs} r cross join generate_series(1, ${c}) k`);
  }
  await db.execute(sql`
    insert into request_participants (org_id, request_id, site_user_id)
    select r.org_id, r.id, ${input.siteUserId} from ${reqs} r`);
  if ((input.participantsPerRequest ?? 2) === 2) {
    await db.execute(sql`
      insert into request_participants (org_id, request_id, site_user_id)
      select r.org_id, r.id, ${input.agentSiteUserId} from ${reqs} r`);
  }
  if (input.approvals) {
    await db.execute(sql`
      with a as (
        insert into request_approvals (org_id, request_id, name)
        select r.org_id, r.id, 'Approve' from ${reqs} r returning id, org_id)
      insert into request_approvers (org_id, approval_id, site_user_id) select org_id, id, ${input.siteUserId} from a`);
  }
  if (input.activity) {
    await db.execute(sql`
      insert into request_attachments (org_id, site_id, service_desk_id, request_id, filename, mime_type, size, storage_key, author_id)
      select r.org_id, ${input.siteId}, ${input.serviceDeskId}, r.id, 'screenshot.png', 'image/png', 10,
        'factory/' || r.id, ${input.siteUserId}
      from ${reqs} r`);
    await db.execute(sql`
      insert into request_feedback (request_id, org_id, author_id, rating) select r.id, r.org_id, ${input.siteUserId}, 4
      from ${reqs} r`);
    await db.execute(sql`
      insert into request_notification_settings (org_id, request_id, site_user_id, subscribed)
      select r.org_id, r.id, ${input.siteUserId}, false from ${reqs} r`);
    await db.execute(sql`
      insert into request_type_approvers (org_id, request_type_id, site_user_id)
      values (${input.orgId}, ${input.requestTypeId}, ${input.siteUserId}) on conflict do nothing`);
  }
  await db.execute(sql`
    insert into customer_organization_members (org_id, customer_organization_id, site_user_id)
    values (${input.orgId}, ${input.customerOrganizationId}, ${input.siteUserId}) on conflict do nothing`);
  await db.execute(sql`
    insert into service_desk_customers (org_id, service_desk_id, site_user_id)
    values (${input.orgId}, ${input.serviceDeskId}, ${input.siteUserId}) on conflict do nothing`);
}

/**
 * Many portal-only customers of a site at once, each with `requestsEach` requests (2 comments, the customer as
 * participant, org and desk membership), inserted set-based. Returns the customer ids in creation order.
 */
export async function buildBulkCustomers(
  services: Pick<AppServices, 'db'>,
  input: {
    orgId: string;
    siteId: string;
    count: number;
    requestsEach: number;
    agentSiteUserId: string;
    desk: Awaited<ReturnType<typeof buildServiceDeskRows>>;
  },
): Promise<string[]> {
  const tag = randomBytes(4).toString('hex');
  return services.db.transaction(async (tx) => {
    const customers = rows<{ id: string; su: string; n: number }>(
      await tx.execute(sql`
        with c as (
          insert into portal_customers (id, org_id, site_id, email, display_name)
          select 'qm:' || gen_random_uuid() || ':' || ${tag} || lpad(g::text, 6, '0'), ${input.orgId}, ${input.siteId},
            'bulk-' || ${tag} || '-' || g || '@customers.test', 'Bulk customer ' || g
          from generate_series(1, ${input.count}) g
          returning id, substring(id from length(id) - 5)::int as n),
        u as (
          insert into site_users (id, org_id, site_id, user_key, kind, customer_id)
          select gen_random_uuid()::text, ${input.orgId}, ${input.siteId}, 'qm-' || ${tag} || '-' || c.n, 'customer', c.id
          from c returning id, customer_id)
        select c.id, u.id as su, c.n from c join u on u.customer_id = c.id order by c.n`),
    );
    const suIds = sql`array[${sql.join(
      customers.map((c) => sql`${c.su}`),
      sql`, `,
    )}]::text[]`;
    await tx.execute(sql`
      insert into requests (org_id, site_id, service_desk_id, request_type_id, issue_key, summary, reporter_id)
      select ${input.orgId}, ${input.siteId}, ${input.desk.serviceDeskId}, ${input.desk.requestTypeId},
        ${`${input.desk.projectKey}-${tag}`} || '-' || s.ord || '-' || g, 'Request ' || g, s.su
      from unnest(${suIds}) with ordinality as s(su, ord) cross join generate_series(1, ${input.requestsEach}) g`);
    const reqs = sql`(select id, org_id, reporter_id from requests where issue_key like ${`${input.desk.projectKey}-${tag}-%`})`;
    await tx.execute(sql`
      insert into request_comments (org_id, request_id, author_id, body)
      select r.org_id, r.id, case when k = 1 then r.reporter_id else ${input.agentSiteUserId} end, 'Comment ' || k
      from ${reqs} r cross join generate_series(1, 2) k`);
    await tx.execute(sql`
      insert into request_participants (org_id, request_id, site_user_id) select r.org_id, r.id, r.reporter_id from ${reqs} r`);
    await tx.execute(sql`
      insert into customer_organization_members (org_id, customer_organization_id, site_user_id)
      select ${input.orgId}, ${input.desk.customerOrganizationId}, s from unnest(${suIds}) s`);
    await tx.execute(sql`
      insert into service_desk_customers (org_id, service_desk_id, site_user_id)
      select ${input.orgId}, ${input.desk.serviceDeskId}, s from unnest(${suIds}) s`);
    return customers.map((c) => c.id);
  });
}

/**
 * A tenant ready for migration tests: org, site, org admin (whose site user acts as the agent), API key, and a
 * service desk with a request type and a customer organization.
 */
export async function buildMigrationTenant(
  services: AppServices,
  userManagement: 'original' | 'centralized' = 'centralized',
) {
  const tenant = await buildTenant(services, userManagement);
  const agent = await findSiteUserOfAccount(services.db, tenant.site.id, tenant.admin.id);
  const desk = await buildServiceDeskRows(services.db, { orgId: tenant.org.id, siteId: tenant.site.id });
  return { ...tenant, desk, agentSiteUserId: agent!.id };
}

/** A portal-only customer of the tenant's site with a history of `requests` requests (see `buildHistory`). */
export async function buildCustomerWithHistory(
  services: AppServices,
  tenant: Awaited<ReturnType<typeof buildMigrationTenant>>,
  options: {
    email?: string;
    requests?: number;
    commentsPerRequest?: number;
    participantsPerRequest?: 1 | 2;
    approvals?: boolean;
    activity?: boolean;
  } = {},
) {
  const { customer, siteUser } = await buildCustomer(services, {
    orgId: tenant.org.id,
    siteId: tenant.site.id,
    email: options.email,
    password: null,
  });
  await services.db.transaction((tx) =>
    buildHistory(tx, {
      orgId: tenant.org.id,
      siteId: tenant.site.id,
      ...tenant.desk,
      siteUserId: siteUser.id,
      agentSiteUserId: tenant.agentSiteUserId,
      requests: options.requests ?? 5,
      commentsPerRequest: options.commentsPerRequest,
      participantsPerRequest: options.participantsPerRequest,
      approvals: options.approvals ?? true,
      activity: options.activity,
    }),
  );
  return { customer, siteUser };
}
