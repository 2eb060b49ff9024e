import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import {
  type CommentRow,
  listCommentsOfRequests,
} from '#src/db/queries/servicedesk/request-comments.queries.ts';
import { listParticipantIdsOfRequests } from '#src/db/queries/servicedesk/request-participants.queries.ts';
import { findRequestTypesByIds } from '#src/db/queries/servicedesk/request-types.queries.ts';
import type { RequestRow } from '#src/db/queries/servicedesk/requests.queries.ts';
import { findServiceDesksByIds } from '#src/db/queries/servicedesk/service-desks.queries.ts';
import type { AppServices } from '../services.ts';
import type { DeskViewer } from './desk-viewer.ts';
import { canSeeInternalComments } from './request-visibility.ts';

export type RequestExpansion = 'participant' | 'comment' | 'serviceDesk' | 'requestType';

/** Participants and comments shown inline per request (one more than the 50 shown, to tell "last page"). */
const INLINE_PAGE = 51;

/**
 * What `expand=` asks for, for a whole page of requests the viewer was already shown: one query per expansion,
 * never one per request. Comments follow the viewer's visibility (internal ones only for agents).
 */
export async function loadRequestExpansions(
  services: Pick<AppServices, 'db'>,
  input: { site: SiteRow; viewer: DeskViewer; rows: RequestRow[]; expand: readonly string[] },
) {
  const { db } = services;
  const { site, viewer, rows, expand } = input;
  const requestIds = rows.map((r) => r.id);
  const [participants, comments, desks, types] = await Promise.all([
    expand.includes('participant')
      ? listParticipantIdsOfRequests(db, requestIds, INLINE_PAGE)
      : new Map<number, string[]>(),
    expand.includes('comment')
      ? listCommentsOfRequests(db, requestIds, {
          includePublic: true,
          includeInternal: canSeeInternalComments(viewer),
          limit: INLINE_PAGE,
        })
      : new Map<number, CommentRow[]>(),
    expand.includes('serviceDesk')
      ? findServiceDesksByIds(db, site.id, [...new Set(rows.map((r) => r.serviceDeskId))])
      : [],
    expand.includes('requestType')
      ? findRequestTypesByIds(db, [...new Set(rows.map((r) => r.requestTypeId))])
      : [],
  ]);
  return {
    participants,
    comments,
    serviceDeskOf: (row: RequestRow) => desks.find((d) => d.id === row.serviceDeskId),
    requestTypeOf: (row: RequestRow) =>
      types.find((t) => t.id === row.requestTypeId && t.serviceDeskId === row.serviceDeskId),
  };
}
