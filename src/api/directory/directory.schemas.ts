import { z } from '@hono/zod-openapi';
import type { OrganizationRow } from '#src/db/queries/directory/organizations.queries.ts';

export const ZOrgId = z
  .string()
  .min(1)
  .max(64)
  .openapi({ param: { name: 'orgId', in: 'path' }, description: 'Organization id' });

export const ZOrg = z
  .object({
    id: z.string(),
    type: z.literal('orgs'),
    attributes: z.object({
      name: z.string(),
      userManagement: z.enum(['original', 'centralized']).describe('User-management experience of the org.'),
    }),
    links: z.object({ self: z.string() }),
  })
  .openapi('Org');

export function presentOrg(org: OrganizationRow): z.infer<typeof ZOrg> {
  return {
    id: org.id,
    type: 'orgs',
    attributes: { name: org.name, userManagement: org.userManagement },
    links: { self: `/admin/v1/orgs/${org.id}` },
  };
}
