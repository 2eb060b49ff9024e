import { Hono } from 'hono';
import { z } from 'zod';
import { updateProfile } from '#src/domain/accounts/profile.ts';
import { findOtherIdentity } from '#src/domain/customers/other-identity.ts';
import { addComment } from '#src/domain/servicedesk/add-comment.ts';
import { answerApproval } from '#src/domain/servicedesk/approvals.ts';
import { createRequest } from '#src/domain/servicedesk/create-request.ts';
import { deskViewerOf } from '#src/domain/servicedesk/desk-viewer.ts';
import { getRequest } from '#src/domain/servicedesk/get-request.ts';
import { listServiceDesksFor } from '#src/domain/servicedesk/get-service-desk.ts';
import { searchKbArticlesFor } from '#src/domain/servicedesk/knowledge-base.ts';
import { listRequestComments } from '#src/domain/servicedesk/list-comments.ts';
import { listDeskRequestTypes } from '#src/domain/servicedesk/list-request-types.ts';
import { listRequests } from '#src/domain/servicedesk/list-requests.ts';
import { loadPeople } from '#src/domain/servicedesk/people.ts';
import { giveRequestFeedback } from '#src/domain/servicedesk/request-feedback.ts';
import { listRequestParticipants } from '#src/domain/servicedesk/request-participants.ts';
import { STATUS_CATEGORY } from '#src/domain/servicedesk/workflow.ts';
import type { AppEnv } from '#src/web/http.ts';
import { rejectNulInUrl } from '#src/web/path-guards.ts';
import { type FieldErrors, formErrorsOf, readForm, validateForm } from '#src/web/ui/forms.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { KnowledgeBaseView } from './knowledge-base.views.tsx';
import {
  DeskView,
  HelpCenterView,
  OWNERSHIP,
  RaiseRequestView,
  RequestsListView,
  RequestView,
} from './portal.views.tsx';
import { csrfOf, type PortalContext, portalUserOf, siteOf } from './portal-context.ts';
import { portalHref } from './portal-shell.tsx';
import { ProfileView } from './profile.views.tsx';
import { attachFiles, filesOfForm, loadRequestExtras } from './request-extras.ts';
import { commentBody, listStartOf, REQUEST_PAGE_SIZE, REQUEST_STATUS_FILTER } from './request-views.tsx';

/** The customer portal: help center, raise a request, my requests, request detail, knowledge base, profile. */
export const portalRoutes = new Hono<AppEnv>();

const P = '/sites/:site/portal';
const PUBLIC_PAGES =
  /^\/sites\/[^/]+\/portal\/(login|signup|reset-password|forgot-password|verify-email)(\/|$)/;

portalRoutes.use(`${P}/*`, rejectNulInUrl);
portalRoutes.use(P, rejectNulInUrl);

/** Signed-in pages send anonymous browsers to the portal login, and back afterwards. */
portalRoutes.use(`${P}/*`, async (c, next) => {
  if (PUBLIC_PAGES.test(c.req.path)) return next();
  const site = await siteOf(c);
  const user = await portalUserOf(c, site);
  if (!user && c.req.method === 'GET')
    return c.redirect(`${portalHref(site.name, '/login')}?next=${encodeURIComponent(c.req.path)}`);
  return next();
});
portalRoutes.use(P, async (c, next) => {
  const site = await siteOf(c);
  if (!(await portalUserOf(c, site))) return c.redirect(portalHref(site.name, '/login'));
  return next();
});

async function frame(c: PortalContext) {
  const site = await siteOf(c);
  const user = await portalUserOf(c, site);
  return { site, user, csrf: csrfOf(c), who: user ? user.name : undefined };
}

/**
 * The help center: the portals (service desks) this person can reach, a way to the agent queue for agents, and
 * the duplicate hint for someone holding both a portal-only profile and an account with one email.
 */
portalRoutes.get(P, async (c) => {
  const { site, who, csrf, user } = await frame(c);
  const actor = c.get('actor');
  const ctx = useCaseContext(c, { site });
  const [desks, viewer, otherIdentity] = await Promise.all([
    listServiceDesksFor(ctx, { start: 0, limit: 100 }),
    actor.type === 'account' ? deskViewerOf(ctx) : undefined,
    findOtherIdentity(useCaseContext(c, { siteId: site.id }), user?.email ?? null),
  ]);
  return c.html(
    <HelpCenterView
      site={site}
      who={who}
      csrf={csrf}
      desks={desks}
      isAgent={viewer?.role === 'agent'}
      otherIdentity={otherIdentity}
    />,
  );
});

/** One portal: its request types. */
portalRoutes.get(`${P}/desks/:deskId`, async (c) => {
  const { site, who, csrf } = await frame(c);
  const { desk, types } = await listDeskRequestTypes(useCaseContext(c, { site }), {
    serviceDeskId: c.req.param('deskId'),
    start: 0,
    limit: 200,
  });
  return c.html(<DeskView site={site} who={who} csrf={csrf} desk={desk} types={types} />);
});

const ZRaise = z.object({
  summary: z.string().trim().min(1, 'Enter a summary.').max(255, 'Use at most 255 characters.'),
  description: z.string().max(32_000, 'Use at most 32,000 characters.'),
});

async function raiseForm(c: PortalContext, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const { site, who, csrf } = await frame(c);
  const typeId = Number(c.req.param('typeId'));
  const { desk, types } = await listDeskRequestTypes(useCaseContext(c, { site }), {
    serviceDeskId: c.req.param('deskId')!,
    start: 0,
    limit: 200,
  });
  const type = types.find((t) => t.id === typeId);
  if (!type) return c.notFound();
  return c.html(
    <RaiseRequestView
      site={site}
      who={who}
      csrf={csrf}
      desk={desk}
      type={type}
      values={values}
      errors={errors}
    />,
    Object.keys(errors).length ? 400 : 200,
  );
}

portalRoutes.get(`${P}/desks/:deskId/create/:typeId`, (c) => raiseForm(c));

portalRoutes.post(`${P}/desks/:deskId/create/:typeId`, async (c) => {
  const form = await readForm(c);
  const values = { summary: form.get('summary'), description: form.get('description') };
  const v = validateForm(ZRaise, values);
  if (!v.ok) return raiseForm(c, values, v.errors);
  const site = await siteOf(c);
  try {
    const { request } = await createRequest(useCaseContext(c, { site }), {
      serviceDeskId: c.req.param('deskId'),
      requestTypeId: Number(c.req.param('typeId')),
      summary: v.data.summary,
      description: v.data.description,
    });
    return c.redirect(portalHref(site.name, `/requests/${request.issueKey}?created=1`), 303);
  } catch (error) {
    return raiseForm(c, values, formErrorsOf(error));
  }
});

/** My requests, with the ownership and open/closed filters. */
portalRoutes.get(`${P}/requests`, async (c) => {
  const { site, who, csrf } = await frame(c);
  const ownershipKey = OWNERSHIP[c.req.query('ownership') ?? ''] ? c.req.query('ownership')! : 'all';
  const statusKey = REQUEST_STATUS_FILTER[c.req.query('status') ?? ''] ? c.req.query('status')! : 'any';
  const start = listStartOf(c.req.query('start'));
  const limit = REQUEST_PAGE_SIZE;
  const { viewer, requests } = await listRequests(useCaseContext(c, { site }), {
    requestOwnership: OWNERSHIP[ownershipKey]!.value,
    requestStatus: REQUEST_STATUS_FILTER[statusKey],
    searchTerm: c.req.query('q')?.slice(0, 200) || undefined,
    start,
    limit,
  });
  const shown = requests.slice(0, limit);
  const people = await loadPeople(
    c.get('services').db,
    viewer,
    shown.map((r) => r.reporterId),
  );
  const searchText = c.req.query('q') ?? '';
  const qs = (extra: Record<string, string>) =>
    `?${new URLSearchParams({ ownership: ownershipKey, status: statusKey, ...extra })}`;
  return c.html(
    <RequestsListView
      site={site}
      who={who}
      csrf={csrf}
      ownershipKey={ownershipKey}
      statusKey={statusKey}
      searchText={searchText}
      start={start}
      limit={limit}
      requests={requests}
      shown={shown}
      people={people}
      qs={qs}
    />,
  );
});

async function requestPage(c: PortalContext, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const { site, who, csrf } = await frame(c);
  const services = c.get('services');
  const ctx = useCaseContext(c, { site });
  const key = c.req.param('key')!;
  const { viewer, request } = await getRequest(ctx, key);
  // The portal shows public comments only, to agents as well (what the customer sees).
  const [{ comments }, participants] = await Promise.all([
    listRequestComments(ctx, { issueIdOrKey: key, internal: false, start: 0, limit: 500 }),
    listRequestParticipants(ctx, { issueIdOrKey: key, start: 0, limit: 100 }),
  ]);
  const people = await loadPeople(services.db, viewer, [
    request.reporterId,
    ...comments.map((cm) => cm.authorId),
  ]);
  const extras = await loadRequestExtras(ctx, request.issueKey);
  // Only the reporter rates, once the request is resolved (the use case enforces it; the page just offers it).
  const canRate = viewer.siteUserId === request.reporterId && STATUS_CATEGORY[request.status] === 'DONE';
  const created = c.req.query('created') === '1';
  return c.html(
    <RequestView
      site={site}
      who={who}
      csrf={csrf}
      request={request}
      comments={comments}
      participants={participants}
      people={people}
      extras={extras}
      canRate={canRate}
      created={created}
      values={values}
      errors={errors}
    />,
    Object.keys(errors).length ? 400 : 200,
  );
}

portalRoutes.get(`${P}/requests/:key`, (c) => requestPage(c));

const ZComment = z.object({
  body: commentBody,
});

portalRoutes.post(`${P}/requests/:key/comment`, async (c) => {
  const form = await readForm(c);
  const values = { body: form.get('body') };
  const v = validateForm(ZComment, values);
  if (!v.ok) return requestPage(c, values, v.errors);
  const site = await siteOf(c);
  try {
    await addComment(useCaseContext(c, { site }), {
      issueIdOrKey: c.req.param('key'),
      body: v.data.body,
      isPublic: true,
    });
  } catch (error) {
    return requestPage(c, values, formErrorsOf(error));
  }
  return c.redirect(portalHref(site.name, `/requests/${encodeURIComponent(c.req.param('key'))}`), 303);
});

const requestHref = (c: PortalContext, siteName: string) =>
  portalHref(siteName, `/requests/${encodeURIComponent(c.req.param('key')!)}`);

/** Attach files to the request (publicly: customers attach for the agents to see). */
portalRoutes.post(`${P}/requests/:key/attachments`, async (c) => {
  const site = await siteOf(c);
  const key = c.req.param('key');
  const files = await filesOfForm(c);
  if (files.length === 0) return requestPage(c, {}, { file: 'Choose a file to attach.' });
  try {
    await attachFiles(useCaseContext(c, { site }), { issueKey: key, files, isPublic: true });
  } catch (error) {
    // Too large, a type not allowed: said next to the file input.
    return requestPage(c, {}, { file: formErrorsOf(error)._form ?? 'The file could not be attached.' });
  }
  return c.redirect(requestHref(c, site.name), 303);
});

/** An approver approves or declines. */
portalRoutes.post(`${P}/requests/:key/approvals/:approvalId`, async (c) => {
  const form = await readForm(c);
  const site = await siteOf(c);
  const decision = form.get('decision');
  try {
    await answerApproval(useCaseContext(c, { site }), {
      issueIdOrKey: c.req.param('key'),
      approvalId: Number(c.req.param('approvalId')) || 0,
      decision: decision === 'decline' ? 'decline' : 'approve',
    });
  } catch (error) {
    return requestPage(
      c,
      {},
      formErrorsOf(error, () => '_form'),
    );
  }
  return c.redirect(requestHref(c, site.name), 303);
});

const ZFeedback = z.object({
  rating: z.coerce
    .number({ message: 'Choose a rating from 1 to 5.' })
    .int()
    .min(1, 'Choose a rating from 1 to 5.')
    .max(5, 'Choose a rating from 1 to 5.'),
  comment: z.string().trim().max(2000, 'Use at most 2,000 characters.'),
});

/** The reporter rates the resolved request (again to change the rating). */
portalRoutes.post(`${P}/requests/:key/feedback`, async (c) => {
  const form = await readForm(c);
  const values = { rating: form.get('rating'), comment: form.get('comment') };
  const v = validateForm(ZFeedback, values);
  if (!v.ok) return requestPage(c, values, v.errors);
  const site = await siteOf(c);
  try {
    await giveRequestFeedback(useCaseContext(c, { site }), {
      issueIdOrKey: c.req.param('key'),
      rating: v.data.rating,
      ...(v.data.comment ? { comment: v.data.comment } : {}),
    });
  } catch (error) {
    return requestPage(c, values, { rating: formErrorsOf(error)._form ?? 'The rating could not be saved.' });
  }
  return c.redirect(requestHref(c, site.name), 303);
});

/** Knowledge base search; each result shows its article. */
portalRoutes.get(`${P}/kb`, async (c) => {
  const { site, who, csrf } = await frame(c);
  const q = (c.req.query('q') ?? '').trim().slice(0, 200);
  const articles = q
    ? await searchKbArticlesFor(useCaseContext(c, { site }), { query: q, start: 0, limit: 50 })
    : [];
  return c.html(<KnowledgeBaseView site={site} who={who} csrf={csrf} q={q} articles={articles} />);
});

async function profilePage(c: PortalContext, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const { site, user, who, csrf } = await frame(c);
  const saved = c.req.query('saved') === '1';
  return c.html(
    <ProfileView
      site={site}
      who={who}
      csrf={csrf}
      user={user}
      saved={saved}
      values={values}
      errors={errors}
    />,
    Object.keys(errors).length ? 400 : 200,
  );
}

portalRoutes.get(`${P}/profile`, (c) => profilePage(c));

portalRoutes.post(`${P}/profile`, async (c) => {
  const form = await readForm(c);
  const values = { name: form.get('name').trim() };
  if (!values.name || values.name.length > 255)
    return profilePage(c, values, { name: 'Enter a name of at most 255 characters.' });
  try {
    await updateProfile(useCaseContext(c), { name: values.name });
  } catch (error) {
    return profilePage(c, values, formErrorsOf(error));
  }
  const site = await siteOf(c);
  return c.redirect(`${portalHref(site.name, '/profile')}?saved=1`, 303);
});
