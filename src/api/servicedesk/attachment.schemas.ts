import { z } from '@hono/zod-openapi';
import type { AttachmentRow } from '#src/db/queries/servicedesk/request-attachments.queries.ts';
import type { Person } from '#src/domain/servicedesk/people.ts';
import { presentDate, presentUser, UNKNOWN_PERSON } from './jsm.presenters.ts';
import { ZDateDTO, ZUserDTO } from './jsm.schemas.ts';

/** JSM AttachmentDTO. `jiraRest` is left out: this server has no Jira attachment resource to point it at. */
export const ZAttachment = z
  .object({
    filename: z.string(),
    author: ZUserDTO,
    created: ZDateDTO,
    size: z.number().int(),
    mimeType: z.string(),
    _links: z.object({ self: z.string(), content: z.string(), thumbnail: z.string().optional() }),
  })
  .openapi('AttachmentDTO');

export function presentAttachment(
  base: string,
  requestId: number,
  row: AttachmentRow,
  people: Map<string, Person>,
): z.infer<typeof ZAttachment> {
  const self = `${base}/rest/servicedeskapi/request/${requestId}/attachment/${row.id}`;
  return {
    filename: row.filename,
    author: presentUser(base, people.get(row.authorId) ?? UNKNOWN_PERSON),
    created: presentDate(row.createdAt),
    size: row.size,
    mimeType: row.mimeType,
    _links: {
      self,
      content: self,
      ...(row.mimeType.startsWith('image/') ? { thumbnail: `${self}/thumbnail` } : {}),
    },
  };
}
