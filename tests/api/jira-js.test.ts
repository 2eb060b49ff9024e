import { createServer } from 'node:net';
import { serve } from '@hono/node-server';
import { createServiceDeskClient } from 'jira.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '#src/domain/accounts/api-tokens.ts';
import { buildDeskTenant } from '#src/test/factories/servicedesk.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

/**
 * Compatibility: the published jira.js 6.2 service-desk client, set to throw on any response that does not match
 * its schemas, drives a real Gatehouse listening on a port (Basic email:api-token of a JSM admin).
 */

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

let server: TestServer;
let http: ReturnType<typeof serve>;
let baseUrl: string;

beforeAll(async () => {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = await createTestServer({ workers: false, env: { BASE_URL: baseUrl } });
  await new Promise<void>((resolve) => {
    http = serve({ fetch: server.app.fetch, port, hostname: '127.0.0.1' }, () => resolve());
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await server.close();
});

describe('jira.js ServiceDeskClient against Gatehouse', () => {
  it('creates a customer, adds it, raises a request, comments, lists, and manages organizations', async () => {
    const t = await buildDeskTenant(server.services);
    const { secret } = await issueApiToken(server.services, { accountId: t.admin.id, label: 'jira.js' });
    const client = createServiceDeskClient({
      host: `${baseUrl}/sites/${t.site.name}`,
      auth: { type: 'basic', email: t.admin.email, apiToken: secret },
      onSchemaMismatch: 'throw',
    });

    const desks = await client.servicedesk.getServiceDesks();
    expect(desks.values?.map((d) => d.id)).toContain(String(t.desk.id));

    const customer = await client.customer.createCustomer({
      email: 'fred@example.com',
      displayName: 'Fred F. User',
    });
    expect(customer.accountId).toMatch(/^qm:/);
    expect(customer.displayName).toBe('Fred F. User');

    await client.servicedesk.addCustomers({
      serviceDeskId: String(t.desk.id),
      accountIds: [customer.accountId!],
    });

    const types = await client.servicedesk.getRequestTypes({ serviceDeskId: String(t.desk.id) });
    expect(types.values?.[0]?.id).toBe(String(t.requestType.id));

    const request = await client.request.createCustomerRequest({
      serviceDeskId: String(t.desk.id),
      requestTypeId: String(t.requestType.id),
      requestFieldValues: { summary: 'Printer is on fire', description: 'Please hurry' },
      raiseOnBehalfOf: customer.accountId,
    });
    expect(request.issueKey).toBe(`${t.desk.projectKey}-1`);
    expect(request.reporter?.accountId).toBe(customer.accountId);

    const comment = await client.request.createRequestComment({
      issueIdOrKey: request.issueKey!,
      body: 'We are sending help',
      public: true,
    });
    expect(comment.public).toBe(true);
    await client.request.createRequestComment({
      issueIdOrKey: request.issueKey!,
      body: 'Internal note',
      public: false,
    });

    const list = await client.request.getCustomerRequests({ expand: ['participant', 'status'] });
    expect(list.values?.map((r) => r.issueKey)).toEqual([request.issueKey]);
    const one = await client.request.getCustomerRequestByIdOrKey({
      issueIdOrKey: request.issueKey!,
      expand: ['comment', 'participant', 'status'],
    });
    expect(one.comments?.values?.length).toBe(2);

    const comments = await client.request.getRequestComments({ issueIdOrKey: request.issueKey! });
    expect(comments.values?.map((c) => c.body)).toEqual(['We are sending help', 'Internal note']);
    const publicOnly = await client.request.getRequestComments({
      issueIdOrKey: request.issueKey!,
      internal: false,
    });
    expect(publicOnly.values?.map((c) => c.body)).toEqual(['We are sending help']);

    const organization = await client.organization.createOrganization({ name: 'Fred Industries' });
    expect(organization.name).toBe('Fred Industries');
    await client.organization.addUsersToOrganization({
      organizationId: Number(organization.id),
      body: { accountIds: [customer.accountId!] },
    });
    const members = await client.organization.getUsersInOrganization({
      organizationId: Number(organization.id),
    });
    expect(members.values?.map((u) => u.accountId)).toEqual([customer.accountId]);
    await client.organization.addOrganization({
      serviceDeskId: String(t.desk.id),
      body: { organizationId: Number(organization.id) },
    });
    const organizations = await client.organization.getOrganizations();
    expect(organizations.values?.map((o) => o.name)).toContain('Fred Industries');
    const deskOrganizations = await client.organization.getServiceDeskOrganizations({
      serviceDeskId: String(t.desk.id),
    });
    expect(deskOrganizations.values?.map((o) => o.id)).toEqual([organization.id]);

    const participants = await client.request.getRequestParticipants({ issueIdOrKey: request.issueKey! });
    expect(participants.values).toEqual([]);
    const transitions = await client.request.getCustomerTransitions({ issueIdOrKey: request.issueKey! });
    expect(transitions.values?.length).toBeGreaterThan(0);
  }, 90_000);
});
