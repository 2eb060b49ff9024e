import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentsDir } from '#src/domain/servicedesk/attachment-files.ts';
import { buildAccount, buildBasicAuth } from '#src/test/factories/directory.ts';
import { buildDeskCustomer, buildDeskTenant, customerCookie } from '#src/test/factories/servicedesk.ts';
import { bearer, createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false, env: { ATTACHMENT_MAX_BYTES: '2048' } });
});
afterAll(() => server.close());

const sd = (site: string, path: string) => `/sites/${site}/rest/servicedeskapi/${path}`;

async function upload(site: string, deskId: number, headers: Record<string, string>, files: File[]) {
  const form = new FormData();
  for (const file of files) form.append('file', file);
  return server.app.request(sd(site, `servicedesk/${deskId}/attachTemporaryFile`), {
    method: 'POST',
    headers,
    body: form,
  });
}

async function scene() {
  const t = await buildDeskTenant(server.services);
  const customer = await buildDeskCustomer(server.services, t.site, t.desk.id);
  const cookie = await customerCookie(server.services, { id: customer.customer.id, siteId: t.site.id });
  const created = await server.request('POST', sd(t.site.name, 'request'), {
    headers: t.agent.auth,
    body: {
      serviceDeskId: String(t.desk.id),
      requestTypeId: String(t.requestType.id),
      requestFieldValues: { summary: 'Screen flickers' },
      raiseOnBehalfOf: customer.customer.id,
    },
  });
  expect(created.status).toBe(201);
  return { t, customer, cookie, request: (await created.json()) as { issueKey: string; issueId: string } };
}

describe('attachments', () => {
  it('uploads, attaches with a comment, lists, downloads; internal files stay with agents', async () => {
    const { t, cookie, request } = await scene();
    const up = await upload(t.site.name, t.desk.id, cookie, [
      new File(['hello log'], 'log.txt', { type: 'text/plain' }),
    ]);
    expect(up.status, await up.clone().text()).toBe(201);
    const [temp] = (await up.json()).temporaryAttachments;
    expect(temp.fileName).toBe('log.txt');

    // Another person cannot attach the customer's upload.
    const stolen = await server.request('POST', sd(t.site.name, `request/${request.issueKey}/attachment`), {
      headers: t.agent.auth,
      body: { temporaryAttachmentIds: [temp.temporaryAttachmentId] },
    });
    expect(stolen.status).toBe(400);

    const attached = await server.request('POST', sd(t.site.name, `request/${request.issueKey}/attachment`), {
      headers: cookie,
      body: {
        temporaryAttachmentIds: [temp.temporaryAttachmentId],
        additionalComment: { body: 'See the log' },
      },
    });
    expect(attached.status, await attached.clone().text()).toBe(201);
    const result = await attached.json();
    expect(result.comment.body).toBe('See the log');
    expect(result.attachments.values[0]).toMatchObject({
      filename: 'log.txt',
      size: 9,
      mimeType: 'text/plain',
    });
    const again = await server.request('POST', sd(t.site.name, `request/${request.issueKey}/attachment`), {
      headers: cookie,
      body: { temporaryAttachmentIds: [temp.temporaryAttachmentId] },
    });
    expect(again.status).toBe(400);

    const internalUp = await upload(t.site.name, t.desk.id, t.agent.auth, [
      new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'shot.png', { type: 'image/png' }),
    ]);
    const internalId = (await internalUp.json()).temporaryAttachments[0].temporaryAttachmentId;
    const internal = await server.request('POST', sd(t.site.name, `request/${request.issueKey}/attachment`), {
      headers: t.agent.auth,
      body: { temporaryAttachmentIds: [internalId], public: false },
    });
    expect(internal.status).toBe(201);
    const internalLinks = (await internal.json()).attachments.values[0]._links;
    expect(internalLinks.thumbnail).toMatch(/thumbnail$/);

    const agentList = await server.request('GET', sd(t.site.name, `request/${request.issueKey}/attachment`), {
      headers: t.agent.auth,
    });
    expect((await agentList.json()).values.map((a: { filename: string }) => a.filename)).toEqual([
      'log.txt',
      'shot.png',
    ]);
    const customerList = await server.request(
      'GET',
      sd(t.site.name, `request/${request.issueKey}/attachment`),
      {
        headers: cookie,
      },
    );
    const customerValues = (await customerList.json()).values;
    expect(customerValues.map((a: { filename: string }) => a.filename)).toEqual(['log.txt']);

    const download = await server.request('GET', new URL(customerValues[0]._links.content).pathname, {
      headers: cookie,
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('attachment');
    expect(await download.text()).toBe('hello log');
    const hidden = await server.request('GET', new URL(internalLinks.self).pathname, { headers: cookie });
    expect(hidden.status).toBe(404);
    const thumb = await server.request('GET', new URL(internalLinks.thumbnail).pathname, {
      headers: t.agent.auth,
    });
    expect(thumb.status).toBe(200);
    const noThumb = await server.request(
      'GET',
      `${new URL(customerValues[0]._links.self).pathname}/thumbnail`,
      {
        headers: t.agent.auth,
      },
    );
    expect(noThumb.status).toBe(404);

    const expanded = await server.request(
      'GET',
      `${sd(t.site.name, `request/${request.issueKey}`)}?expand=attachment,action,sla,comment.renderedBody,comment`,
      {
        headers: cookie,
      },
    );
    const body = await expanded.json();
    expect(body.attachments.values).toHaveLength(1);
    expect(body.attachments._links.self).toContain(`/request/${request.issueId}/attachment`);
    expect(body.actions.addComment.allowed).toBe(true);
    expect(body.sla.values).toHaveLength(2);
    expect(body.comments.values[0].renderedBody.html).toBe('<p>See the log</p>\n');
  });

  it('refuses files that are too large (413), of a refused type (415), empty, or from an org API key', async () => {
    const { t, cookie, request } = await scene();
    const big = await upload(t.site.name, t.desk.id, cookie, [
      new File(['x'.repeat(3000)], 'big.txt', { type: 'text/plain' }),
    ]);
    expect(big.status).toBe(413);
    const html = await upload(t.site.name, t.desk.id, cookie, [
      new File(['<script>alert(1)</script>'], 'x.html', { type: 'text/html' }),
    ]);
    expect(html.status).toBe(415);
    const svg = await upload(t.site.name, t.desk.id, cookie, [
      new File(['<svg/>'], 'x.svg', { type: 'image/svg+xml' }),
    ]);
    expect(svg.status).toBe(415);
    const json = await server.request(
      'POST',
      sd(t.site.name, `servicedesk/${t.desk.id}/attachTemporaryFile`),
      {
        headers: cookie,
        body: { file: 'x' },
      },
    );
    expect(json.status).toBe(415);
    const key = await upload(t.site.name, t.desk.id, bearer(t.apiKey), [
      new File(['a'], 'a.txt', { type: 'text/plain' }),
    ]);
    expect(key.status).toBe(403);
    const customerInternal = await server.request(
      'POST',
      sd(t.site.name, `request/${request.issueKey}/attachment`),
      {
        headers: cookie,
        body: { temporaryAttachmentIds: ['temp1'], public: false },
      },
    );
    expect(customerInternal.status).toBe(403);
    // Refused uploads leave no file behind.
    const orgDir = join(attachmentsDir(server.services.config), t.org.id.replace(/[^A-Za-z0-9_-]/g, '_'));
    expect(await readdir(orgDir).catch(() => [])).toEqual([]);
    expect(
      (await upload(t.site.name, t.desk.id, {}, [new File(['a'], 'a.txt', { type: 'text/plain' })])).status,
    ).toBe(401);
  });

  it('keeps another tenant’s desk and request a 404', async () => {
    const { t, request } = await scene();
    const other = await buildDeskTenant(server.services);
    const up = await upload(t.site.name, t.desk.id, other.agent.auth, [
      new File(['a'], 'a.txt', { type: 'text/plain' }),
    ]);
    expect(up.status).toBe(404);
    const list = await server.request('GET', sd(t.site.name, `request/${request.issueKey}/attachment`), {
      headers: other.agent.auth,
    });
    expect(list.status).toBe(404);
  });
});

describe('approvals', () => {
  it('opens an approval from the request type’s approvers; the first answer decides; others 403; twice 409', async () => {
    const t = await buildDeskTenant(server.services);
    const approver = await buildAccount(server.services, { orgId: t.org.id });
    const approverAuth = await buildBasicAuth(server.services, approver);
    const set = await server.request(
      'PUT',
      sd(t.site.name, `servicedesk/${t.desk.id}/requesttype/${t.requestType.id}/approver`),
      { headers: t.agent.auth, body: { accountIds: [approver.id] } },
    );
    expect(set.status).toBe(403);
    const byAdmin = await server.request(
      'PUT',
      sd(t.site.name, `servicedesk/${t.desk.id}/requesttype/${t.requestType.id}/approver`),
      { headers: bearer(t.apiKey), body: { accountIds: [approver.id] } },
    );
    expect(byAdmin.status, await byAdmin.clone().text()).toBe(200);
    const unknown = await server.request(
      'PUT',
      sd(t.site.name, `servicedesk/${t.desk.id}/requesttype/${t.requestType.id}/approver`),
      { headers: bearer(t.apiKey), body: { accountIds: ['qm:nobody'] } },
    );
    expect(unknown.status).toBe(400);

    const customer = await buildDeskCustomer(server.services, t.site, t.desk.id);
    const cookie = await customerCookie(server.services, { id: customer.customer.id, siteId: t.site.id });
    const created = await server.request('POST', sd(t.site.name, 'request'), {
      headers: cookie,
      body: {
        serviceDeskId: String(t.desk.id),
        requestTypeId: String(t.requestType.id),
        requestFieldValues: { summary: 'New laptop' },
      },
    });
    expect(created.status).toBe(201);
    const { issueKey } = await created.json();

    // The approver is neither reporter nor participant, yet sees the request to answer.
    const list = await server.request('GET', sd(t.site.name, `request/${issueKey}/approval`), {
      headers: approverAuth,
    });
    expect(list.status).toBe(200);
    const [approval] = (await list.json()).values;
    expect(approval).toMatchObject({ finalDecision: 'pending', canAnswerApproval: true });
    expect(approval.approvers[0].approver.accountId).toBe(approver.id);
    const mine = await server.request('GET', `${sd(t.site.name, 'request')}?requestOwnership=APPROVER`, {
      headers: approverAuth,
    });
    expect((await mine.json()).values.map((r: { issueKey: string }) => r.issueKey)).toEqual([issueKey]);

    const byCustomer = await server.request(
      'POST',
      sd(t.site.name, `request/${issueKey}/approval/${approval.id}`),
      {
        headers: cookie,
        body: { decision: 'approve' },
      },
    );
    expect(byCustomer.status).toBe(403);
    const bad = await server.request('POST', sd(t.site.name, `request/${issueKey}/approval/${approval.id}`), {
      headers: approverAuth,
      body: { decision: 'maybe' },
    });
    expect(bad.status).toBe(400);
    const answered = await server.request(
      'POST',
      sd(t.site.name, `request/${issueKey}/approval/${approval.id}`),
      {
        headers: approverAuth,
        body: { decision: 'decline' },
      },
    );
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ finalDecision: 'declined', canAnswerApproval: false });
    const twice = await server.request(
      'POST',
      sd(t.site.name, `request/${issueKey}/approval/${approval.id}`),
      {
        headers: approverAuth,
        body: { decision: 'approve' },
      },
    );
    expect(twice.status).toBe(409);
    const one = await server.request('GET', new URL(approval._links.self).pathname, { headers: cookie });
    expect((await one.json()).approvers[0].approverDecision).toBe('declined');
    const missing = await server.request('GET', sd(t.site.name, `request/${issueKey}/approval/999999`), {
      headers: cookie,
    });
    expect(missing.status).toBe(404);
    const other = await buildDeskTenant(server.services);
    const foreign = await server.request('GET', sd(t.site.name, `request/${issueKey}/approval`), {
      headers: bearer(other.apiKey),
    });
    expect(foreign.status).toBe(404);
  });
});
