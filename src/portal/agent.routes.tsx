import { Hono } from 'hono';
import { z } from 'zod';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { addComment } from '#src/domain/servicedesk/add-comment.ts';
import { answerApproval } from '#src/domain/servicedesk/approvals.ts';
import { assignRequest } from '#src/domain/servicedesk/assign-request.ts';
import { assertAgent } from '#src/domain/servicedesk/desk-viewer.ts';
import { getRequest } from '#src/domain/servicedesk/get-request.ts';
import { listServiceDesksFor } from '#src/domain/servicedesk/get-service-desk.ts';
import { listRequestComments } from '#src/domain/servicedesk/list-comments.ts';
import { listRequests } from '#src/domain/servicedesk/list-requests.ts';
import { loadPeople } from '#src/domain/servicedesk/people.ts';
import { listRequestParticipants } from '#src/domain/servicedesk/request-participants.ts';
import { getRequestSla } from '#src/domain/servicedesk/sla.ts';
import { listRequestTransitions, transitionRequest } from '#src/domain/servicedesk/transition-request.ts';
import type { AppEnv } from '#src/web/http.ts';
import { rejectNulInUrl } from '#src/web/path-guards.ts';
import { type FieldErrors, formErrorsOf, readForm, validateForm } from '#src/web/ui/forms.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AgentRequestView, agentHref, QueueView } from './agent.views.tsx';
import { csrfOf, type PortalContext, portalUserOf, siteOf } from './portal-context.ts';
import { portalHref } from './portal-shell.tsx';
import { attachFiles, filesOfForm, loadRequestExtras } from './request-extras.ts';
import { commentBody, listStartOf, REQUEST_PAGE_SIZE, REQUEST_STATUS_FILTER } from './request-views.tsx';

/** The agent queue: requests of the site's service desks, detail with public reply and internal note. */
export const agentRoutes = new Hono<AppEnv>();

const A = '/sites/:site/agent';

/** Agents log in with their account through the portal login, then come back here. */
const requireLogin = async (c: PortalContext, next: () => Promise<void>) => {
  if (c.get('actor').type === 'account') return next();
  const site = await siteOf(c);
  if (c.req.method === 'GET')
    return c.redirect(`${portalHref(site.name, '/login')}?next=${encodeURIComponent(c.req.path)}`);
  return next();
};
agentRoutes.use(A, rejectNulInUrl);
agentRoutes.use(`${A}/*`, rejectNulInUrl);
agentRoutes.use(A, requireLogin);
agentRoutes.use(`${A}/*`, requireLogin);

agentRoutes.get(A, async (c) => {
  const site = await siteOf(c);
  const services = c.get('services');
  const ctx = useCaseContext(c, { site });
  const statusKey = REQUEST_STATUS_FILTER[c.req.query('status') ?? ''] ? c.req.query('status')! : 'open';
  const deskParam = Number(c.req.query('desk'));
  const serviceDeskId = Number.isInteger(deskParam) && deskParam > 0 ? deskParam : undefined;
  const q = (c.req.query('q') ?? '').trim().slice(0, 200);
  const start = listStartOf(c.req.query('start'));
  const limit = REQUEST_PAGE_SIZE;
  const { viewer, requests } = await listRequests(ctx, {
    requestStatus: REQUEST_STATUS_FILTER[statusKey],
    serviceDeskId,
    searchTerm: q || undefined,
    start,
    limit,
  });
  assertAgent(viewer);
  const desks = await listServiceDesksFor(ctx, { start: 0, limit: 100 });
  const shown = requests.slice(0, limit);
  const people = await loadPeople(services.db, viewer, [
    ...shown.map((r) => r.reporterId),
    ...shown.map((r) => r.assigneeId),
  ]);
  const user = await portalUserOf(c, site);
  const qs = (extra: Record<string, string>) =>
    `?${new URLSearchParams({ status: statusKey, ...(serviceDeskId ? { desk: String(serviceDeskId) } : {}), ...(q ? { q } : {}), ...extra })}`;
  const csrf = csrfOf(c);
  return c.html(
    <QueueView
      site={site}
      user={user}
      csrf={csrf}
      statusKey={statusKey}
      desks={desks}
      serviceDeskId={serviceDeskId}
      q={q}
      shown={shown}
      requests={requests}
      people={people}
      start={start}
      limit={limit}
      qs={qs}
    />,
  );
});

async function detail(c: PortalContext, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const site = await siteOf(c);
  const services = c.get('services');
  const actor = c.get('actor');
  const ctx = useCaseContext(c, { site });
  const key = c.req.param('key')!;
  const { viewer, request } = await getRequest(ctx, key);
  // Someone who sees the request but is no agent (an approver, its reporter) follows `_links.agent` to the
  // portal's view of it, where they can act.
  if (viewer.role !== 'agent') return c.redirect(portalHref(site.name, `/requests/${request.issueKey}`), 302);
  const [{ comments }, participants, transitions] = await Promise.all([
    listRequestComments(ctx, { issueIdOrKey: key, start: 0, limit: 500 }),
    listRequestParticipants(ctx, { issueIdOrKey: key, start: 0, limit: 100 }),
    listRequestTransitions(ctx, key),
  ]);
  const people = await loadPeople(services.db, viewer, [
    request.reporterId,
    request.assigneeId,
    ...comments.map((cm) => cm.authorId),
  ]);
  const [extras, { metrics: sla }] = await Promise.all([
    loadRequestExtras(ctx, request.issueKey),
    getRequestSla(ctx, request.issueKey),
  ]);
  const user = await portalUserOf(c, site);
  const csrf = csrfOf(c);
  const base = agentHref(site.name, `/requests/${request.issueKey}`);
  const reporter = people.get(request.reporterId);
  const assignee = request.assigneeId ? people.get(request.assigneeId) : undefined;
  const me = actor.type === 'account' ? actor.accountId : '';
  return c.html(
    <AgentRequestView
      site={site}
      user={user}
      csrf={csrf}
      request={request}
      reporter={reporter}
      assignee={assignee}
      participants={participants}
      transitions={transitions}
      comments={comments}
      people={people}
      extras={extras}
      sla={sla}
      me={me}
      base={base}
      values={values}
      errors={errors}
    />,
    Object.keys(errors).length ? 400 : 200,
  );
}

agentRoutes.get(`${A}/requests/:key`, (c) => detail(c));

const ZComment = z.object({
  body: commentBody,
  visibility: z.enum(['public', 'internal'], { message: 'Choose reply or internal note.' }),
});

/**
 * Runs an agent's change to the request the path names: back to the request page, or the page again with the
 * refusal (and what was typed) when the use case refuses.
 */
async function changeRequest(
  c: PortalContext,
  values: Record<string, string>,
  change: (site: SiteRow, issueIdOrKey: string) => Promise<unknown>,
) {
  const site = await siteOf(c);
  const key = c.req.param('key')!;
  try {
    await change(site, key);
  } catch (error) {
    return detail(c, values, formErrorsOf(error));
  }
  return c.redirect(agentHref(site.name, `/requests/${encodeURIComponent(key)}`), 303);
}

agentRoutes.post(`${A}/requests/:key/comment`, async (c) => {
  const form = await readForm(c);
  const values = { body: form.get('body'), visibility: form.get('visibility') || 'public' };
  const v = validateForm(ZComment, values);
  if (!v.ok) return detail(c, values, v.errors);
  return changeRequest(c, values, (site, issueIdOrKey) =>
    addComment(useCaseContext(c, { site }), {
      issueIdOrKey,
      body: v.data.body,
      isPublic: v.data.visibility === 'public',
    }),
  );
});

agentRoutes.post(`${A}/requests/:key/assign`, async (c) => {
  const form = await readForm(c);
  return changeRequest(c, {}, (site, issueIdOrKey) =>
    assignRequest(useCaseContext(c, { site }), {
      issueIdOrKey,
      assigneeAccountId: form.get('assignee') || null,
    }),
  );
});

agentRoutes.post(`${A}/requests/:key/transition`, async (c) => {
  const form = await readForm(c);
  return changeRequest(c, {}, (site, issueIdOrKey) =>
    transitionRequest(useCaseContext(c, { site }), {
      issueIdOrKey,
      transitionId: form.get('transitionId'),
    }),
  );
});

const requestHref = (c: PortalContext, siteName: string) =>
  agentHref(siteName, `/requests/${encodeURIComponent(c.req.param('key')!)}`);

/** Attach files for the customer to see, or internally. */
agentRoutes.post(`${A}/requests/:key/attachments`, async (c) => {
  const site = await siteOf(c);
  const key = c.req.param('key');
  const files = await filesOfForm(c);
  const form = await readForm(c);
  if (files.length === 0) return detail(c, {}, { file: 'Choose a file to attach.' });
  try {
    await attachFiles(useCaseContext(c, { site }), {
      issueKey: key,
      files,
      isPublic: form.get('visibility') !== 'internal',
    });
  } catch (error) {
    // Too large, a type not allowed: said next to the file input.
    return detail(c, {}, { file: formErrorsOf(error)._form ?? 'The file could not be attached.' });
  }
  return c.redirect(requestHref(c, site.name), 303);
});

/** An agent who is an approver approves or declines. */
agentRoutes.post(`${A}/requests/:key/approvals/:approvalId`, async (c) => {
  const form = await readForm(c);
  const site = await siteOf(c);
  try {
    await answerApproval(useCaseContext(c, { site }), {
      issueIdOrKey: c.req.param('key'),
      approvalId: Number(c.req.param('approvalId')) || 0,
      decision: form.get('decision') === 'decline' ? 'decline' : 'approve',
    });
  } catch (error) {
    return detail(
      c,
      {},
      formErrorsOf(error, () => '_form'),
    );
  }
  return c.redirect(requestHref(c, site.name), 303);
});
