import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { RequestRow } from '#src/db/queries/servicedesk/requests.queries.ts';
import { getSiteByName } from '#src/domain/directory/get-site.ts';
import {
  type ApprovalView,
  answerApproval,
  getRequestApproval,
  listRequestApprovals,
  setRequestTypeApprovers,
} from '#src/domain/servicedesk/approvals.ts';
import type { DeskViewer } from '#src/domain/servicedesk/desk-viewer.ts';
import { loadPeople, type Person } from '#src/domain/servicedesk/people.ts';
import { type AppEnv, createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { AUTHENTICATED, errorResponses, jsonBody, ZJsmError } from '../pagination.ts';
import { paged, presentDate, presentUser, siteBase, UNKNOWN_PERSON } from './jsm.presenters.ts';
import {
  jsonContent,
  pagedSchema,
  ZAccountIds,
  ZDateDTO,
  ZDeskParams,
  ZPageQuery,
  ZRequestParams,
  ZUserDTO,
} from './jsm.schemas.ts';

const TAGS = ['JSM: approvals'];
const BASE = '/sites/{site}/rest/servicedeskapi';

const ZDecision = z.enum(['approved', 'declined', 'pending']);

const ZApproval = z
  .object({
    id: z.string(),
    name: z.string(),
    finalDecision: ZDecision,
    canAnswerApproval: z.boolean(),
    approvers: z.array(z.object({ approver: ZUserDTO, approverDecision: ZDecision }).openapi('ApproverDTO')),
    createdDate: ZDateDTO,
    completedDate: ZDateDTO.optional(),
    _links: z.object({ self: z.string() }),
  })
  .openapi('ApprovalDTO');

function presentApproval(base: string, requestId: number, view: ApprovalView, people: Map<string, Person>) {
  const { approval } = view;
  return {
    id: String(approval.id),
    name: approval.name,
    finalDecision: approval.finalDecision,
    canAnswerApproval: view.canAnswer,
    approvers: view.approvers.map((a) => ({
      approver: presentUser(base, people.get(a.siteUserId) ?? UNKNOWN_PERSON),
      approverDecision: a.decision,
    })),
    createdDate: presentDate(approval.createdAt),
    ...(approval.completedAt ? { completedDate: presentDate(approval.completedAt) } : {}),
    _links: { self: `${base}/rest/servicedeskapi/request/${requestId}/approval/${approval.id}` },
  };
}

const ZApprovalParams = ZRequestParams.extend({
  approvalId: z
    .string()
    .regex(/^\d{1,9}$/)
    .openapi({ param: { name: 'approvalId', in: 'path' }, description: 'Approval id' }),
});

const listRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}/approval`,
  tags: TAGS,
  summary: 'List the approvals of a request',
  description:
    'Approvals opened from the request type’s approvers, oldest first. Approvers can see the request.',
  security: AUTHENTICATED,
  request: { params: ZRequestParams, query: ZPageQuery },
  responses: {
    200: jsonContent(pagedSchema(ZApproval, 'PagedApprovalDTO'), 'A page of approvals'),
    ...errorResponses(ZJsmError, [400, 401, 404]),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: `${BASE}/request/{issueIdOrKey}/approval/{approvalId}`,
  tags: TAGS,
  summary: 'Get an approval',
  description: 'One approval of a visible request.',
  security: AUTHENTICATED,
  request: { params: ZApprovalParams },
  responses: { 200: jsonContent(ZApproval, 'The approval'), ...errorResponses(ZJsmError, [401, 404]) },
});

const answerRoute = createRoute({
  method: 'post',
  path: `${BASE}/request/{issueIdOrKey}/approval/{approvalId}`,
  tags: TAGS,
  summary: 'Approve or decline',
  description:
    'A pending approver answers; the first answer decides. Not an approver: 403; already decided: 409.',
  security: AUTHENTICATED,
  request: {
    params: ZApprovalParams,
    body: jsonBody(
      z.object({ decision: z.enum(['approve', 'decline']) }).openapi('ApprovalDecisionRequestDTO'),
    ),
  },
  responses: {
    200: jsonContent(ZApproval, 'The approval after the answer'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404, 409]),
  },
});

const setApproversRoute = createRoute({
  method: 'put',
  path: `${BASE}/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/approver`,
  tags: TAGS,
  summary: 'Set the approvers of a request type (Gatehouse)',
  description:
    'Gatehouse’s own operation (Atlassian configures approvers in the workflow editor): JSM admins set who approves new requests of the type; an empty list turns approval off. Every id must be a person on the site (else 400, nothing changed).',
  security: AUTHENTICATED,
  request: {
    params: ZDeskParams.extend({
      requestTypeId: z
        .string()
        .regex(/^\d{1,9}$/)
        .openapi({ param: { name: 'requestTypeId', in: 'path' } }),
    }),
    body: jsonBody(ZAccountIds),
  },
  responses: {
    200: jsonContent(z.object({ accountIds: z.array(z.string()) }), 'The approvers now'),
    ...errorResponses(ZJsmError, [400, 401, 403, 404]),
  },
});

function peopleOf(db: Parameters<typeof loadPeople>[0], viewer: DeskViewer, views: ApprovalView[]) {
  return loadPeople(
    db,
    viewer,
    views.flatMap((v) => v.approvers.map((a) => a.siteUserId)),
  );
}

/** One approval as JSM renders it, its approvers as the caller may see them (the get and answer replies). */
async function presentOneApproval(
  c: Context<AppEnv>,
  site: SiteRow,
  answer: { viewer: DeskViewer; request: RequestRow; approval: ApprovalView },
) {
  const people = await peopleOf(c.get('services').db, answer.viewer, [answer.approval]);
  return presentApproval(siteBase(c, site), answer.request.id, answer.approval, people);
}

export const approvalRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const page = c.req.valid('query');
    const { viewer, request, approvals } = await listRequestApprovals(useCaseContext(c, { site }), {
      issueIdOrKey,
      ...page,
    });
    const people = await peopleOf(services.db, viewer, approvals);
    const base = siteBase(c, site);
    return c.json(
      paged(c, site, approvals, page, (v) => presentApproval(base, request.id, v, people)),
      200,
    );
  })
  .openapi(getRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey, approvalId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const { viewer, request, approval } = await getRequestApproval(useCaseContext(c, { site }), {
      issueIdOrKey,
      approvalId: Number(approvalId),
    });
    return c.json(await presentOneApproval(c, site, { viewer, request, approval }), 200);
  })
  .openapi(answerRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, issueIdOrKey, approvalId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const { viewer, request, approval } = await answerApproval(useCaseContext(c, { site }), {
      issueIdOrKey,
      approvalId: Number(approvalId),
      decision: c.req.valid('json').decision,
    });
    return c.json(await presentOneApproval(c, site, { viewer, request, approval }), 200);
  })
  .openapi(setApproversRoute, async (c) => {
    const services = c.get('services');
    const { site: siteName, serviceDeskId, requestTypeId } = c.req.valid('param');
    const site = await getSiteByName(services.db, siteName);
    const accountIds = await setRequestTypeApprovers(useCaseContext(c, { site }), {
      serviceDeskId,
      requestTypeId: Number(requestTypeId),
      accountIds: c.req.valid('json').accountIds,
    });
    return c.json({ accountIds }, 200);
  });
