import { z } from '@hono/zod-openapi';

/**
 * @fileoverview JSM REST shapes (reference §2.0–§2.4): PagedDTO, DateDTO, UserDTO, CustomerRequest, Comment,
 * Organization, RequestType, ServiceDesk, Article. The presenters that fill them are in `jsm.presenters.ts`.
 */

export const ZSiteParam = z
  .string()
  .min(1)
  .max(63)
  .openapi({ param: { name: 'site', in: 'path' }, description: 'Site name', example: 'acme' });

/** The path of a service desk: its site and its id, project id or project key. */
export const ZDeskParams = z.object({
  site: ZSiteParam,
  serviceDeskId: z
    .string()
    .min(1)
    .max(20)
    .openapi({
      param: { name: 'serviceDeskId', in: 'path' },
      description: 'Service desk id, project id or project key',
    }),
});

/** The largest page any JSM list returns. */
export const MAX_PAGE_LIMIT = 100;

export const ZPageQuery = z.object({
  start: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(0)
    .openapi({ description: 'Index of the first item (0-based).' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(50)
    // Atlassian caps an oversized page instead of refusing it; the page's `limit` says what was used.
    .transform((limit) => Math.min(limit, MAX_PAGE_LIMIT))
    .openapi({
      type: 'integer',
      description: 'Page size (default 50); above 100 it is capped at 100, and the page’s `limit` says so.',
    }),
});

export const ZDateDTO = z
  .object({
    iso8601: z.string(),
    jira: z
      .string()
      .describe('ISO 8601 with milliseconds and a numeric offset, e.g. 2016-09-28T23:08:32.097+0000'),
    friendly: z.string(),
    epochMillis: z.number().int(),
  })
  .openapi('DateDTO');

export const ZUserDTO = z
  .object({
    accountId: z.string(),
    name: z
      .string()
      .optional()
      .describe('Deprecated by Atlassian; for portal-only customers the `qm:` id, as in its examples.'),
    key: z.string().optional().describe('Deprecated by Atlassian; for portal-only customers the `qm:` id.'),
    displayName: z.string(),
    emailAddress: z.string().optional().describe('Omitted when not shown (deleted customers).'),
    active: z.boolean(),
    timeZone: z.string(),
    _links: z.object({
      jiraRest: z.string(),
      self: z.string(),
      avatarUrls: z.record(z.string(), z.string()),
    }),
  })
  .openapi('JsmUserDTO');

/** The path parameters of every `request/{issueIdOrKey}/…` route. */
export const ZRequestParams = z.object({
  site: ZSiteParam,
  issueIdOrKey: z
    .string()
    .min(1)
    .max(40)
    .openapi({ param: { name: 'issueIdOrKey', in: 'path' }, description: 'Request id or key, e.g. HELP-12' }),
});

/** A JSON response of a route. */
export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export function pagedSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      _expands: z.array(z.string()),
      size: z.number().int(),
      start: z.number().int(),
      limit: z.number().int(),
      isLastPage: z.boolean(),
      _links: z.object({
        base: z.string(),
        context: z.string(),
        self: z.string(),
        next: z.string().optional(),
        prev: z.string().optional(),
      }),
      values: z.array(item),
    })
    .openapi(name);
}

export const ZServiceDesk = z
  .object({
    id: z.string(),
    projectId: z.string(),
    projectKey: z.string(),
    projectName: z.string(),
    projectTypeKey: z.string(),
    portalName: z.string(),
    portalDescription: z.string(),
    _links: z.object({ self: z.string() }),
  })
  .openapi('ServiceDeskDTO');

export const ZRequestType = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    helpText: z.string(),
    issueTypeId: z.string(),
    serviceDeskId: z.string(),
    portalId: z.string(),
    groupIds: z.array(z.string()),
    restrictionStatus: z.enum(['OPEN', 'RESTRICTED']),
    canCreateRequest: z.boolean(),
    _links: z.object({ self: z.string() }),
  })
  .openapi('RequestTypeDTO');

export const ZOrganization = z
  .object({
    id: z.string(),
    name: z.string(),
    created: ZDateDTO,
    _links: z.object({ self: z.string() }),
  })
  .openapi('OrganizationDTO');

export const ZComment = z
  .object({
    id: z.string(),
    body: z.string(),
    public: z.boolean(),
    author: ZUserDTO,
    created: ZDateDTO,
    renderedBody: z
      .object({ html: z.string() })
      .optional()
      .describe('With `expand=renderedBody`: the Markdown body as sanitized HTML'),
    _links: z.object({ self: z.string() }),
  })
  .openapi('CommentDTO');

export const ZStatus = z
  .object({
    status: z.string(),
    statusCategory: z.enum(['UNDEFINED', 'NEW', 'INDETERMINATE', 'DONE']),
    statusDate: ZDateDTO,
  })
  .openapi('CustomerRequestStatusDTO');

export const ZTransition = z.object({ id: z.string(), name: z.string() }).openapi('CustomerTransitionDTO');

const ZPagedUser = pagedSchema(ZUserDTO, 'PagedUserDTO');
const ZPagedComment = pagedSchema(ZComment, 'PagedCommentDTO');

export const ZCustomerRequest = z
  .object({
    _expands: z.array(z.string()),
    issueId: z.string(),
    issueKey: z.string(),
    requestTypeId: z.string(),
    serviceDeskId: z.string(),
    createdDate: ZDateDTO,
    reporter: ZUserDTO,
    summary: z.string(),
    requestFieldValues: z.array(z.object({ fieldId: z.string(), label: z.string(), value: z.unknown() })),
    currentStatus: ZStatus,
    participants: ZPagedUser.optional(),
    comments: ZPagedComment.optional(),
    status: pagedSchema(ZStatus, 'PagedCustomerRequestStatusDTO').optional(),
    serviceDesk: ZServiceDesk.optional(),
    requestType: ZRequestType.optional(),
    sla: z.unknown().optional().describe('With `expand=sla`: a PagedSlaInformationDTO'),
    attachments: z.unknown().optional().describe('With `expand=attachment`: a PagedAttachmentDTO'),
    actions: z
      .record(z.string(), z.object({ allowed: z.boolean() }))
      .optional()
      .describe(
        'With `expand=action`: what the caller may do (addAttachment, addComment, addParticipant, removeParticipant)',
      ),
    _links: z.object({ self: z.string(), jiraRest: z.string(), web: z.string(), agent: z.string() }),
  })
  .openapi('CustomerRequestDTO');

export type TCustomerRequest = z.infer<typeof ZCustomerRequest>;

export const ZArticle = z
  .object({
    id: z.string(),
    title: z.string(),
    excerpt: z.string(),
    source: z.object({ type: z.literal('confluence'), pageId: z.string(), spaceKey: z.string() }),
    content: z.object({ iframeSrc: z.string() }),
  })
  .openapi('ArticleDTO');

export const ZAccountIds = z
  .object({
    accountIds: z
      .array(z.string().min(1).max(128))
      .max(1000)
      .default([])
      .describe('Account ids or `qm:` customer ids.'),
    usernames: z.array(z.string()).optional().describe('Deprecated by Atlassian; ignored.'),
  })
  .openapi('UsersDTO');
