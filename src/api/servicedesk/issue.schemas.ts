import { z } from '@hono/zod-openapi';
import type { RequestRow } from '#src/db/queries/servicedesk/requests.queries.ts';
import type { Person } from '#src/domain/servicedesk/people.ts';
import { STATUS_CATEGORY } from '#src/domain/servicedesk/workflow.ts';
import { presentUser, UNKNOWN_PERSON } from './jsm.presenters.ts';

/** Jira's issue bean, with the fields a request has. */
export const ZIssue = z
  .object({
    id: z.string(),
    key: z.string(),
    self: z.string(),
    fields: z.record(z.string(), z.unknown()),
  })
  .openapi('IssueBean');

/** A request as a Jira issue: what `/rest/api/3/issue/{id}` and queue pages show. */
export function presentIssue(base: string, request: RequestRow, people: Map<string, Person>) {
  const person = (id: string | null) => (id ? presentUser(base, people.get(id) ?? UNKNOWN_PERSON) : null);
  return {
    id: String(request.id),
    key: request.issueKey,
    self: `${base}/rest/api/3/issue/${request.id}`,
    fields: {
      summary: request.summary,
      description: request.description,
      issuetype: { id: '10001', name: 'Service Request' },
      status: { name: request.status, statusCategory: { key: STATUS_CATEGORY[request.status] } },
      reporter: person(request.reporterId),
      assignee: person(request.assigneeId),
      created: request.createdAt.toISOString(),
      updated: request.updatedAt.toISOString(),
    },
  };
}
