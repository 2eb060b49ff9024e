import { createRoute, z } from '@hono/zod-openapi';
import { ZOrgId } from '#src/api/directory/directory.schemas.ts';
import {
  AUTHENTICATED,
  cursorPage,
  cursorPageResponse,
  decodeCursor,
  errorResponses,
  ZAdminError,
  ZCursorQuery,
} from '#src/api/pagination.ts';
import type { AuditEventRow } from '#src/db/queries/audit/audit-events.queries.ts';
import { getOrgEvent } from '#src/domain/audit/get-org-event.ts';
import { listOrgEvents } from '#src/domain/audit/list-org-events.ts';
import { AppError } from '#src/shared/errors.ts';
import { createRouter } from '#src/web/http.ts';

export const ZAuditEvent = z
  .object({
    id: z.string(),
    type: z.literal('events'),
    attributes: z.object({
      time: z.string().describe('ISO 8601 time of the event.'),
      action: z.string().describe('e.g. `auth.login_failed`, `customer.migrated`.'),
      actor: z.object({
        type: z.enum(['account', 'customer', 'api_key', 'system', 'anonymous']),
        id: z.string().nullable(),
      }),
      context: z
        .array(z.object({ type: z.string(), id: z.string() }))
        .describe('The target(s) of the event.'),
      container: z.array(z.object({ type: z.literal('sites'), id: z.string() })),
      location: z.object({ ip: z.string().nullable() }),
      data: z.record(z.string(), z.unknown()),
      seq: z.number().int().describe('Position in the org’s hash chain (gap-free).'),
    }),
    links: z.object({ self: z.string() }),
  })
  .openapi('AuditEvent');

const ZEventsQuery = ZCursorQuery.extend({
  action: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: 'Only this action, e.g. `auth.login_failed`.' }),
  actor: z.string().min(1).max(200).optional().openapi({ description: 'Only events by this actor id.' }),
  target: z.string().min(1).max(200).optional().openapi({ description: 'Only events about this target id.' }),
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Events at or after this time.' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Events before this time.' }),
});

function presentEvent(row: AuditEventRow, orgId: string): z.infer<typeof ZAuditEvent> {
  return {
    id: String(row.id),
    type: 'events',
    attributes: {
      time: row.createdAt.toISOString(),
      action: row.action,
      actor: { type: row.actorType, id: row.actorId },
      context: row.targetType && row.targetId ? [{ type: row.targetType, id: row.targetId }] : [],
      container: row.siteId ? [{ type: 'sites', id: row.siteId }] : [],
      location: { ip: row.ip },
      data: row.data,
      seq: row.seq,
    },
    links: { self: `/admin/v1/orgs/${orgId}/events/${row.id}` },
  };
}

const listEvents = createRoute({
  method: 'get',
  path: '/admin/v1/orgs/{orgId}/events',
  tags: ['Admin: audit log'],
  summary: 'Audit log of an organization',
  description:
    'Admin actions and auth events (login success/failure, lockout, password changes, API token use) with ' +
    'actor, target, IP and time, newest first, in cursor pages. Filters: `action`, `actor`, `target`, `from`, ' +
    '`to`. Org admins and the org’s API key only. The log is hash-chained (`gatehouse audit verify`).',
  security: AUTHENTICATED,
  request: { params: z.object({ orgId: ZOrgId }), query: ZEventsQuery },
  responses: {
    200: cursorPageResponse('A page of events', ZAuditEvent),
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const getEvent = createRoute({
  method: 'get',
  path: '/admin/v1/orgs/{orgId}/events/{eventId}',
  tags: ['Admin: audit log'],
  summary: 'One event of the audit log',
  description: 'What `links.self` of a listed event points at. Org admins and the org’s API key only.',
  security: AUTHENTICATED,
  request: {
    params: z.object({
      orgId: ZOrgId,
      eventId: z.coerce
        .number()
        .int()
        .min(1)
        .openapi({ param: { name: 'eventId', in: 'path' }, type: 'integer', description: 'Event id' }),
    }),
  },
  responses: {
    200: {
      description: 'The event',
      content: { 'application/json': { schema: z.object({ data: ZAuditEvent }) } },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

export const eventsRoutes = createRouter()
  .openapi(getEvent, async (c) => {
    const { orgId, eventId } = c.req.valid('param');
    const row = await getOrgEvent(c.get('services'), c.get('actor'), { orgId, eventId });
    return c.json({ data: presentEvent(row, orgId) }, 200);
  })
  .openapi(listEvents, async (c) => {
    const { orgId } = c.req.valid('param');
    const query = c.req.valid('query');
    const cursor = decodeCursor(query.cursor);
    const beforeSeq = cursor === undefined ? undefined : Number(cursor);
    if (beforeSeq !== undefined && !Number.isInteger(beforeSeq)) {
      throw new AppError('request.invalid_input', 'Invalid page cursor.', {
        details: [{ path: 'cursor', message: 'invalid' }],
      });
    }
    const rows = await listOrgEvents(c.get('services'), c.get('actor'), {
      orgId,
      filter: {
        action: query.action,
        actorId: query.actor,
        targetId: query.target,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      beforeSeq,
      limit: query.limit,
    });
    const page = cursorPage(
      rows,
      query.limit,
      (row) => row.seq,
      (row) => presentEvent(row, orgId),
      new URL(c.req.url),
    );
    return c.json(page, 200);
  });
