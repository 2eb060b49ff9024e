import { createRoute, z } from '@hono/zod-openapi';
import { AUTHENTICATED, errorResponses, jsonBody, ZAdminError } from '#src/api/pagination.ts';
import { acceptInvitation } from '#src/domain/directory/invite-accept.ts';
import { inviteUsers } from '#src/domain/directory/invite-users.ts';
import { clientIp } from '#src/web/client-ip.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { ZOrgId } from './directory.schemas.ts';

const inviteRoute = createRoute({
  method: 'post',
  path: '/admin/v2/orgs/{orgId}/users/invite',
  tags: ['Admin: users'],
  summary: 'Invite users by email',
  description:
    'Mails each address a single-use link that expires in 30 days. Someone without an account signs up through it; an existing account joins the org on acceptance and keeps its password. Product access is granted on acceptance, seats permitting. Centralized: org admins; original: org admins and the admins of `siteId`.',
  security: AUTHENTICATED,
  request: {
    params: z.object({ orgId: ZOrgId }),
    body: jsonBody(
      z.object({
        emails: z.array(z.email().max(254)).min(1).max(100).describe('Addresses to invite (1–100).'),
        siteId: z
          .string()
          .min(1)
          .max(64)
          .optional()
          .describe('Site to give access on (original experience).'),
        productAccess: z
          .array(
            z.object({
              productId: z.string().min(1).max(64).describe('Product id.'),
              role: z.enum(['customer', 'user', 'admin']).describe('Product role.'),
            }),
          )
          .max(20)
          .optional()
          .describe('Product roles granted when the invitation is accepted.'),
      }),
    ),
  },
  responses: {
    200: {
      description: 'One result per distinct address',
      content: {
        'application/json': {
          schema: z.object({
            data: z.array(
              z.object({
                email: z.string(),
                status: z.enum(['invited', 'already_member']),
                existingAccount: z.boolean(),
                expiresAt: z.string().optional(),
              }),
            ),
          }),
        },
      },
    },
    ...errorResponses(ZAdminError, [400, 401, 403, 404]),
  },
});

const ZInvitationError = z.object({
  code: z.string(),
  message: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const acceptRoute = createRoute({
  method: 'post',
  path: '/rest/auth/1/invitations/accept',
  tags: ['Auth'],
  summary: 'Accept an invitation',
  description:
    'Signs up (name and password of 12–256 characters required) or links the existing account with the invited email. The token works once: reuse → 400 `auth.token_used`; expired → 400 `auth.token_expired`.',
  request: {
    body: jsonBody(
      z.object({
        token: z.string().min(16).max(256).describe('The token from the invitation link.'),
        name: z.string().max(255).optional().describe('Your name (new accounts only).'),
        password: z.string().max(1024).optional().describe('Your password (new accounts only).'),
      }),
    ),
  },
  responses: {
    200: {
      description: 'Accepted',
      content: {
        'application/json': {
          schema: z.object({
            accountId: z.string(),
            orgId: z.string(),
            created: z.boolean(),
            skippedProductAccess: z.array(z.object({ productId: z.string(), role: z.string() })),
          }),
        },
      },
    },
    400: {
      description: 'Invalid, used or expired token, or missing sign-up fields',
      content: { 'application/json': { schema: ZInvitationError } },
    },
    401: {
      description:
        'Not used: the token itself authenticates the invitee (declared for the REST conventions).',
      content: { 'application/json': { schema: ZInvitationError } },
    },
  },
});

export const invitationsRoutes = createRouter()
  .openapi(inviteRoute, async (c) => {
    const { orgId } = c.req.valid('param');
    const body = c.req.valid('json');
    const results = await inviteUsers(useCaseContext(c, { orgId }), { ...body, ip: clientIp(c) });
    return c.json({ data: results.map((r) => ({ ...r, expiresAt: r.expiresAt?.toISOString() })) }, 200);
  })
  .openapi(acceptRoute, async (c) => {
    const result = await acceptInvitation(c.get('services'), c.req.valid('json'));
    return c.json(result, 200);
  });
