import { createServer } from 'node:net';
import { serve } from '@hono/node-server';
import { createServiceDeskClient } from 'jira.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '#src/domain/accounts/api-tokens.ts';
import { buildAccount } from '#src/test/factories/directory.ts';
import { buildDeskTenant } from '#src/test/factories/servicedesk.ts';
import { linksIn } from '#src/test/helpers/response-audit.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

/**
 * Compatibility, round two: jira.js 6.2 (throwing on any schema mismatch) drives request types, attachments,
 * approvals, SLA, queues, notifications and the status history against a real Gatehouse on a port; feedback
 * and the Admin API v2 directory reads (which jira.js 6.2 has no client for) go through fetch. Every link found
 * in the responses must then answer 200 for the same caller.
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

describe('jira.js ServiceDeskClient, round two', () => {
  it('drives request types, attachments, approvals, SLA, queues, notifications and history; every link resolves', async () => {
    const t = await buildDeskTenant(server.services);
    const basic = (email: string, secret: string) => ({
      authorization: `Basic ${Buffer.from(`${email}:${secret}`).toString('base64')}`,
    });
    const { secret } = await issueApiToken(server.services, { accountId: t.admin.id, label: 'jira.js' });
    const adminHeaders = basic(t.admin.email, secret);
    const client = createServiceDeskClient({
      host: `${baseUrl}/sites/${t.site.name}`,
      auth: { type: 'basic', email: t.admin.email, apiToken: secret },
      onSchemaMismatch: 'throw',
    });
    const approver = await buildAccount(server.services, { orgId: t.org.id, siteUserOn: [t.site.id] });
    const approverToken = await issueApiToken(server.services, { accountId: approver.id, label: 'approver' });
    const approverClient = createServiceDeskClient({
      host: `${baseUrl}/sites/${t.site.name}`,
      auth: { type: 'basic', email: approver.email, apiToken: approverToken.secret },
      onSchemaMismatch: 'throw',
    });
    const responses: unknown[] = [];
    const keep = <T>(value: T): T => {
      responses.push(value);
      return value;
    };

    const info = keep(await client.info.getInfo());
    expect(info.isLicensedForUse).toBe(true);

    const setApprovers = await fetch(
      `${baseUrl}/sites/${t.site.name}/rest/servicedeskapi/servicedesk/${t.desk.id}/requesttype/${t.requestType.id}/approver`,
      {
        method: 'PUT',
        headers: { ...adminHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ accountIds: [approver.id] }),
      },
    );
    expect(setApprovers.status).toBe(200);

    const request = keep(
      await client.request.createCustomerRequest({
        serviceDeskId: String(t.desk.id),
        requestTypeId: String(t.requestType.id),
        requestFieldValues: { summary: 'Need a monitor', description: 'A **big** one' },
      }),
    );
    const issueIdOrKey = request.issueKey!;

    const form = new FormData();
    form.append('file', new File(['monitor spec'], 'spec.txt', { type: 'text/plain' }));
    const temp = keep(
      await client.servicedesk.attachTemporaryFile({ serviceDeskId: String(t.desk.id), body: form as never }),
    );
    const temporaryId = temp.temporaryAttachments?.[0]?.temporaryAttachmentId;
    expect(temporaryId).toBeTruthy();
    const attached = keep(
      await client.request.createCommentWithAttachment({
        issueIdOrKey,
        temporaryAttachmentIds: [temporaryId!],
        public: true,
        additionalComment: { body: 'Spec attached' },
      }),
    );
    expect(attached.attachments?.values?.[0]?.filename).toBe('spec.txt');
    const attachments = keep(
      await client.request.getAttachmentsForRequest({ issueIdOrKey, start: 0, limit: 50 }),
    );
    expect(attachments.values).toHaveLength(1);
    const attachmentId = Number(new URL(attachments.values![0]!._links!.self!).pathname.split('/').pop());
    const content = await client.request.getAttachmentContent({ issueIdOrKey, attachmentId });
    expect(Buffer.from(content as Uint8Array).toString()).toBe('monitor spec');

    const approvals = keep(await approverClient.request.getApprovals({ issueIdOrKey }));
    const approvalId = Number(approvals.values?.[0]?.id);
    expect(approvals.values?.[0]?.canAnswerApproval).toBe(true);
    const answered = keep(
      await approverClient.request.answerApproval({ issueIdOrKey, approvalId, decision: 'approve' }),
    );
    expect(answered.finalDecision).toBe('approved');
    keep(await client.request.getApprovalById({ issueIdOrKey, approvalId }));

    keep(await client.request.performCustomerTransition({ issueIdOrKey, id: '11' }));
    const history = keep(
      await client.request.getCustomerRequestStatus({ issueIdOrKey, start: 0, limit: 50 }),
    );
    expect(history.values?.map((s) => s.status)).toEqual(['In progress', 'Waiting for support']);
    const sla = keep(await client.request.getSlaInformation({ issueIdOrKey }));
    expect(sla.values?.map((m) => m.name)).toEqual(['Time to first response', 'Time to resolution']);
    keep(await client.request.getSlaInformationById({ issueIdOrKey, slaMetricId: 2 }));

    const queues = keep(
      await client.servicedesk.getQueues({ serviceDeskId: String(t.desk.id), includeCount: true }),
    );
    expect(queues.values?.find((q) => q.name === 'All open')?.issueCount).toBe(1);
    keep(await client.servicedesk.getQueue({ serviceDeskId: String(t.desk.id), queueId: 1 }));
    const queued = keep(
      await client.servicedesk.getIssuesInQueue({ serviceDeskId: String(t.desk.id), queueId: 1 }),
    );
    expect(queued.values?.map((i) => i.key)).toEqual([issueIdOrKey]);

    expect((await client.request.getSubscriptionStatus({ issueIdOrKey })).subscribed).toBe(true);
    await client.request.unsubscribe({ issueIdOrKey });
    expect((await client.request.getSubscriptionStatus({ issueIdOrKey })).subscribed).toBe(false);
    await client.request.subscribe({ issueIdOrKey });

    keep(
      await client.request.getCustomerRequestByIdOrKey({
        issueIdOrKey,
        expand: [
          'participant',
          'status',
          'sla',
          'attachment',
          'action',
          'comment',
          'serviceDesk',
          'requestType',
        ],
      }),
    );
    const comments = keep(
      await client.request.getRequestComments({ issueIdOrKey, expand: ['renderedBody'] }),
    );
    expect(comments.values?.[0]?.renderedBody?.html).toContain('Spec attached');

    // No jira.js client for these: plain fetch with the same credentials.
    const sd = `${baseUrl}/sites/${t.site.name}/rest/servicedeskapi`;
    const types = await fetch(`${sd}/requesttype?searchQuery=help`, { headers: adminHeaders });
    expect(types.status).toBe(200);
    responses.push(await types.json());
    await client.request.performCustomerTransition({ issueIdOrKey, id: '31' });
    const feedback = await fetch(`${sd}/request/${issueIdOrKey}/feedback`, {
      method: 'POST',
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ rating: 5 }),
    });
    expect(feedback.status).toBe(200);

    const apiKey = { authorization: `Bearer ${t.apiKey}` };
    const directories = await fetch(`${baseUrl}/admin/v2/orgs/${t.org.id}/directories`, { headers: apiKey });
    expect(directories.status).toBe(200);
    const [directory] = (await directories.json()).data;
    const users = await fetch(
      `${baseUrl}/admin/v2/orgs/${t.org.id}/directories/${directory.directoryId}/users`,
      {
        headers: apiKey,
      },
    );
    expect(users.status).toBe(200);
    expect((await users.json()).data.map((u: { accountId: string }) => u.accountId)).toContain(t.admin.id);
    const groups = await fetch(
      `${baseUrl}/admin/v2/orgs/${t.org.id}/directories/${directory.directoryId}/groups`,
      {
        headers: apiKey,
      },
    );
    expect(groups.status).toBe(200);

    // Every link a response carried answers 200 for the caller that received it.
    const links = new Set<string>();
    for (const response of responses) linksIn(response, baseUrl, links);
    expect(links.size).toBeGreaterThan(10);
    const broken: string[] = [];
    for (const link of links) {
      const response = await fetch(`${baseUrl}${link}`, { headers: adminHeaders });
      if (response.status !== 200) broken.push(`${response.status} ${link}`);
      await response.arrayBuffer();
    }
    expect(broken).toEqual([]);
  }, 120_000);
});
