import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestComments, requestParticipants } from '#src/db/schema/index.ts';
import { type Actor, SYSTEM } from '#src/domain/policies/actor.ts';
import { addComment } from '#src/domain/servicedesk/add-comment.ts';
import { createRequest } from '#src/domain/servicedesk/create-request.ts';
import { getRequest } from '#src/domain/servicedesk/get-request.ts';
import { listRequestComments } from '#src/domain/servicedesk/list-comments.ts';
import { listRequests } from '#src/domain/servicedesk/list-requests.ts';
import { addRequestParticipants } from '#src/domain/servicedesk/request-participants.ts';
import { isAppError } from '#src/shared/errors.ts';
import { buildAccount, buildCustomer, buildSite } from '#src/test/factories/directory.ts';
import {
  buildCustomerOrganization,
  buildDeskCustomer,
  buildDeskTenant,
  buildServiceDesk,
} from '#src/test/factories/servicedesk.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const accountActor = (a: { id: string; email: string }): Actor => ({
  type: 'account',
  accountId: a.id,
  email: a.email,
  via: 'api_token',
});

/** One site with a desk shared by organization, one request, and everybody who might look at it. */
async function buildWorld() {
  const services = server.services;
  const t = await buildDeskTenant(services, { sharing: 'organization' });
  const reporter = await buildDeskCustomer(services, t.site, t.desk.id, {
    email: `ada-${t.site.name}@customers.test`,
  });
  const participant = await buildDeskCustomer(services, t.site, t.desk.id);
  const orgMember = await buildDeskCustomer(services, t.site, t.desk.id);
  const bystander = await buildDeskCustomer(services, t.site, t.desk.id);
  const organization = await buildCustomerOrganization(services, t.site, t.desk.id, [
    reporter.customer.id,
    participant.customer.id,
    orgMember.customer.id,
  ]);
  // The account twin: same email as the reporter, its own site user on the same site (not migrated).
  const twin = await buildAccount(services, {
    orgId: t.org.id,
    email: reporter.customer.email!,
    siteUserOn: [t.site.id],
  });
  const otherSite = await buildServiceDesk(services, (await buildSite(services, t.org.id)).site);
  const otherSiteCustomer = await buildCustomer(services, { orgId: t.org.id, siteId: otherSite.desk.siteId });
  const otherTenant = await buildDeskTenant(services);
  const stranger = await buildAccount(services);

  const { request } = await createRequest(
    { services, actor: reporter.actor, tenant: { site: t.site } },
    {
      serviceDeskId: t.desk.id,
      requestTypeId: t.requestType.id,
      summary: 'Cannot log in',
      requestParticipants: [participant.customer.id],
      organizationIds: [organization.id],
    },
  );
  await addComment(
    { services, actor: accountActor(t.agent.account), tenant: { site: t.site } },
    {
      issueIdOrKey: request.issueKey,
      body: 'public reply',
      isPublic: true,
    },
  );
  await addComment(
    { services, actor: accountActor(t.agent.account), tenant: { site: t.site } },
    {
      issueIdOrKey: request.issueKey,
      body: 'internal note',
      isPublic: false,
    },
  );
  return {
    t,
    request,
    organization,
    viewers: {
      reporter: reporter.actor,
      participant: participant.actor,
      organizationMember: orgMember.actor,
      bystanderCustomer: bystander.actor,
      accountTwinOfReporter: accountActor(twin),
      agent: accountActor(t.agent.account),
      orgAdmin: accountActor(t.admin),
      customerOfAnotherSite: {
        type: 'customer',
        customerId: otherSiteCustomer.customer.id,
        orgId: t.org.id,
        siteId: otherSiteCustomer.customer.siteId,
      },
      agentOfAnotherTenant: accountActor(otherTenant.agent.account),
      otherTenantApiKey: { type: 'api_key', apiKeyId: 'k', orgId: otherTenant.org.id },
      stranger: accountActor(stranger),
      anonymous: { type: 'anonymous' },
    } satisfies Record<string, Actor>,
    reporter,
    participant,
    bystander,
  };
}

type Outcome = 'sees all comments' | 'sees public comments' | 'not found' | 'unauthenticated';

const TABLE: Array<[string, Outcome]> = [
  ['reporter', 'sees public comments'],
  ['participant', 'sees public comments'],
  ['organizationMember', 'sees public comments'],
  ['bystanderCustomer', 'not found'],
  ['accountTwinOfReporter', 'not found'],
  ['agent', 'sees all comments'],
  ['orgAdmin', 'sees all comments'],
  ['customerOfAnotherSite', 'unauthenticated'],
  ['agentOfAnotherTenant', 'not found'],
  ['otherTenantApiKey', 'not found'],
  ['stranger', 'not found'],
  ['anonymous', 'unauthenticated'],
];

describe('request visibility (one rule, every viewer)', () => {
  let world: Awaited<ReturnType<typeof buildWorld>>;
  beforeAll(async () => {
    world = await buildWorld();
  });

  it.each(TABLE)('%s → %s', async (who, expected) => {
    const actor = world.viewers[who as keyof typeof world.viewers] as Actor;
    const services = server.services;
    let outcome: Outcome;
    try {
      await getRequest({ services, actor, tenant: { site: world.t.site } }, world.request.issueKey);
      const { comments } = await listRequestComments(
        { services, actor, tenant: { site: world.t.site } },
        {
          issueIdOrKey: world.request.issueKey,
          start: 0,
          limit: 50,
        },
      );
      outcome = comments.some((c) => !c.isPublic) ? 'sees all comments' : 'sees public comments';
      expect(comments.map((c) => c.body)).toContain('public reply');
      const { requests } = await listRequests(
        { services, actor, tenant: { site: world.t.site } },
        { start: 0, limit: 50 },
      );
      expect(requests.map((r) => r.id)).toContain(world.request.id);
    } catch (error) {
      if (isAppError(error, 'servicedesk.request_not_found', 'directory.site_not_found')) {
        outcome = 'not found';
        if (isAppError(error, 'servicedesk.request_not_found')) {
          const { requests } = await listRequests(
            { services, actor, tenant: { site: world.t.site } },
            { start: 0, limit: 50 },
          );
          expect(requests.map((r) => r.id)).not.toContain(world.request.id);
        }
      } else if (isAppError(error, 'auth.unauthenticated')) outcome = 'unauthenticated';
      else throw error;
    }
    expect(outcome).toBe(expected);
  });

  it('filters by ownership: owned, participated, organization', async () => {
    const services = server.services;
    const ids = async (actor: Actor, ownership: Parameters<typeof listRequests>[1]['requestOwnership']) =>
      (
        await listRequests(
          { services, actor, tenant: { site: world.t.site } },
          {
            requestOwnership: ownership,
            start: 0,
            limit: 50,
          },
        )
      ).requests.map((r) => r.id);
    expect(await ids(world.viewers.reporter, ['OWNED_REQUESTS'])).toEqual([world.request.id]);
    expect(await ids(world.viewers.participant, ['OWNED_REQUESTS'])).toEqual([]);
    expect(await ids(world.viewers.participant, ['PARTICIPATED_REQUESTS'])).toEqual([world.request.id]);
    expect(await ids(world.viewers.organizationMember, ['PARTICIPATED_REQUESTS'])).toEqual([]);
    expect(await ids(world.viewers.organizationMember, ['ALL_ORGANIZATIONS'])).toEqual([world.request.id]);
  });
});

describe('customer sharing rules and comment rules (4xx, nothing written)', () => {
  async function participants(requestId: number) {
    const [row] = await server.services.db
      .select({ n: count() })
      .from(requestParticipants)
      .where(eq(requestParticipants.requestId, requestId));
    return Number(row?.n ?? 0);
  }

  it('organization sharing: only people in one of my organizations', async () => {
    const world = await buildWorld();
    const services = server.services;
    const before = await participants(world.request.id);
    await expect(
      addRequestParticipants(
        { services, actor: world.viewers.reporter, tenant: { site: world.t.site } },
        {
          issueIdOrKey: world.request.issueKey,
          accountIds: [world.bystander.customer.id],
        },
      ),
    ).rejects.toMatchObject({ code: 'servicedesk.sharing_not_allowed' });
    expect(await participants(world.request.id)).toBe(before);
    await addRequestParticipants(
      { services, actor: world.viewers.reporter, tenant: { site: world.t.site } },
      {
        issueIdOrKey: world.request.issueKey,
        accountIds: [(world.viewers.organizationMember as { customerId: string }).customerId],
      },
    );
    expect(await participants(world.request.id)).toBe(before + 1);
  });

  it('no sharing: customers cannot add anyone; any-customer sharing: customers of the desk only', async () => {
    const services = server.services;
    for (const sharing of ['none', 'any_customer'] as const) {
      const t = await buildDeskTenant(services, { sharing });
      const ada = await buildDeskCustomer(services, t.site, t.desk.id);
      const bob = await buildDeskCustomer(services, t.site, t.desk.id);
      const outsider = await buildCustomer(services, { orgId: t.org.id, siteId: t.site.id });
      const attempt = createRequest(
        { services, actor: ada.actor, tenant: { site: t.site } },
        {
          serviceDeskId: t.desk.id,
          requestTypeId: t.requestType.id,
          summary: 'x',
          requestParticipants: [bob.customer.id],
        },
      );
      if (sharing === 'none') {
        await expect(attempt).rejects.toMatchObject({ code: 'servicedesk.sharing_not_allowed' });
      } else {
        const { request } = await attempt;
        await expect(
          addRequestParticipants(
            { services, actor: ada.actor, tenant: { site: t.site } },
            {
              issueIdOrKey: request.issueKey,
              accountIds: [outsider.customer.id],
            },
          ),
        ).rejects.toMatchObject({ code: 'servicedesk.sharing_not_allowed' });
        expect(await participants(request.id)).toBe(1);
      }
    }
  });

  it('customers cannot write internal comments, nor comment on requests they cannot see', async () => {
    const world = await buildWorld();
    const services = server.services;
    const countComments = async () =>
      Number(
        (
          await services.db
            .select({ n: count() })
            .from(requestComments)
            .where(eq(requestComments.requestId, world.request.id))
        )[0]?.n ?? 0,
      );
    const before = await countComments();
    await expect(
      addComment(
        { services, actor: world.viewers.reporter, tenant: { site: world.t.site } },
        {
          issueIdOrKey: world.request.issueKey,
          body: 'sneaky',
          isPublic: false,
        },
      ),
    ).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(
      addComment(
        { services, actor: world.viewers.bystanderCustomer, tenant: { site: world.t.site } },
        {
          issueIdOrKey: world.request.issueKey,
          body: 'hello?',
          isPublic: true,
        },
      ),
    ).rejects.toMatchObject({ code: 'servicedesk.request_not_found' });
    expect(await countComments()).toBe(before);
  });

  it('a customer cannot raise on behalf of others nor use a request type of another desk', async () => {
    const world = await buildWorld();
    const services = server.services;
    const other = await buildServiceDesk(services, world.t.site);
    await expect(
      createRequest(
        { services, actor: world.viewers.reporter, tenant: { site: world.t.site } },
        {
          serviceDeskId: world.t.desk.id,
          requestTypeId: world.t.requestType.id,
          summary: 'x',
          raiseOnBehalfOf: world.bystander.customer.id,
        },
      ),
    ).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(
      createRequest(
        { services, actor: world.viewers.reporter, tenant: { site: world.t.site } },
        {
          serviceDeskId: world.t.desk.id,
          requestTypeId: other.requestType.id,
          summary: 'x',
        },
      ),
    ).rejects.toMatchObject({ code: 'servicedesk.request_type_not_found' });
    await expect(
      createRequest(
        { services, actor: SYSTEM, tenant: { site: world.t.site } },
        {
          serviceDeskId: world.t.desk.id,
          requestTypeId: world.t.requestType.id,
          summary: 'x',
        },
      ),
    ).rejects.toMatchObject({ code: 'auth.forbidden' });
  });
});
