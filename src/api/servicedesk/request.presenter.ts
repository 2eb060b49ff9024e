import type { Context } from 'hono';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { RequestRow } from '#src/db/queries/servicedesk/requests.queries.ts';
import { attachmentsOf } from '#src/domain/servicedesk/attachments.ts';
import type { DeskViewer } from '#src/domain/servicedesk/desk-viewer.ts';
import { loadRequestExpansions } from '#src/domain/servicedesk/load-request-expansions.ts';
import { loadPeople, type Person } from '#src/domain/servicedesk/people.ts';
import { slaOf } from '#src/domain/servicedesk/sla.ts';
import { statusHistoriesOf } from '#src/domain/servicedesk/status-history.ts';
import type { AppEnv } from '#src/web/http.ts';
import { presentAttachment } from './attachment.schemas.ts';
import {
  paged,
  presentComment,
  presentRequest,
  presentRequestType,
  presentServiceDesk,
  presentStatusEntry,
  presentUser,
  siteBase,
  UNKNOWN_PERSON,
} from './jsm.presenters.ts';
import type { TCustomerRequest } from './jsm.schemas.ts';
import { presentSla } from './sla.schemas.ts';

/** Presents requests with their people loaded in one query, plus the asked-for expansions. */
export async function presentRequests(
  c: Context<AppEnv>,
  siteRow: SiteRow,
  viewer: DeskViewer,
  rows: RequestRow[],
  expand: string[],
  known: Map<string, Person> = new Map(),
): Promise<TCustomerRequest[]> {
  const { db } = c.get('services');
  const base = siteBase(c, siteRow);
  const { participants, comments, serviceDeskOf, requestTypeOf } = await loadRequestExpansions(
    c.get('services'),
    { site: siteRow, viewer, rows, expand },
  );
  const wanted = [
    ...rows.map((r) => r.reporterId),
    ...[...participants.values()].flat(),
    ...[...comments.values()].flat().map((cm) => cm.authorId),
  ].filter((id) => !known.has(id));
  const people = wanted.length > 0 ? new Map([...known, ...(await loadPeople(db, viewer, wanted))]) : known;
  const page = { start: 0, limit: 50 };
  const histories = expand.includes('status') ? await statusHistoriesOf(db, rows, page.limit) : new Map();
  const out: TCustomerRequest[] = [];
  const now = c.get('services').clock.now();
  for (const row of rows) {
    const extra: Parameters<typeof presentRequest>[3] = {};
    const sub = (name: string) => `/rest/servicedeskapi/request/${row.id}/${name}`;
    if (participants.has(row.id)) {
      extra.participants = paged(
        c,
        siteRow,
        participants.get(row.id)!,
        page,
        (id) => presentUser(base, people.get(id) ?? UNKNOWN_PERSON),
        [],
        sub('participant'),
      );
    }
    if (comments.has(row.id)) {
      const renderedBody = expand.includes('comment.renderedBody');
      extra.comments = paged(
        c,
        siteRow,
        comments.get(row.id)!,
        page,
        (cm) => presentComment(base, row, cm, people, { renderedBody }),
        [],
        sub('comment'),
      );
    }
    const history = histories.get(row.id);
    if (history) extra.status = paged(c, siteRow, history, page, presentStatusEntry, [], sub('status'));
    if (expand.includes('sla')) {
      const metrics = await slaOf(db, row, now);
      extra.sla = paged(c, siteRow, metrics, page, (m) => presentSla(base, row.id, m), [], sub('sla'));
    }
    if (expand.includes('attachment')) {
      const files = await attachmentsOf(db, viewer, row, page);
      const authors = await loadPeople(
        db,
        viewer,
        files.map((f) => f.authorId),
      );
      extra.attachments = paged(
        c,
        siteRow,
        files,
        page,
        (f) => presentAttachment(base, row.id, f, authors),
        [],
        sub('attachment'),
      );
    }
    if (expand.includes('action')) extra.actions = requestActions(viewer, row);
    if (expand.includes('serviceDesk')) {
      const desk = serviceDeskOf(row);
      if (desk) extra.serviceDesk = presentServiceDesk(base, desk);
    }
    if (expand.includes('requestType')) {
      const type = requestTypeOf(row);
      if (type) extra.requestType = presentRequestType(base, type);
    }
    out.push(presentRequest(base, row, people, extra));
  }
  return out;
}

/** What the caller may do on the request (`expand=action`), by the same rules the write routes apply. */
function requestActions(viewer: DeskViewer, row: RequestRow): Record<string, { allowed: boolean }> {
  const person =
    viewer.siteUserId !== null || viewer.actor.type === 'account' || viewer.actor.type === 'customer';
  const reporter = viewer.siteUserId !== null && viewer.siteUserId === row.reporterId;
  return {
    addAttachment: { allowed: person },
    addComment: { allowed: person },
    addParticipant: { allowed: person },
    removeParticipant: { allowed: viewer.role === 'agent' || reporter },
  };
}
