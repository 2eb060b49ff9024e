import { createRoute, z } from '@hono/zod-openapi';
import { AUTHENTICATED, errorResponses, ZAdminError } from '#src/api/pagination.ts';
import { listLicences } from '#src/domain/directory/user-detail.ts';
import { createRouter } from '#src/web/http.ts';
import { useCaseContext } from '#src/web/use-case.ts';
import { ZOrgId } from './directory.schemas.ts';

export const ZProductLicence = z
  .object({
    id: z.string(),
    key: z.enum(['jira-servicemanagement', 'jira-software', 'confluence']),
    name: z.string(),
    site_id: z.string(),
    site_name: z.string(),
    seats: z.object({
      limit: z.number().int(),
      used: z.number().int().describe('Active, non-suspended accounts holding a billable role.'),
      available: z.number().int(),
    }),
  })
  .openapi('ProductLicence');

const listProductsRoute = createRoute({
  method: 'get',
  path: '/admin/v1/orgs/{orgId}/products',
  tags: ['Admin: products'],
  summary: 'List products and licences',
  description:
    'Every product on the org’s sites with its seat limit, seats used and seats available. Customers (portal-only or with the Customer role) use no seat.',
  security: AUTHENTICATED,
  request: { params: z.object({ orgId: ZOrgId }) },
  responses: {
    200: {
      description: 'The products',
      content: { 'application/json': { schema: z.object({ data: z.array(ZProductLicence) }) } },
    },
    ...errorResponses(ZAdminError, [401, 403, 404]),
  },
});

export const productsRoutes = createRouter().openapi(listProductsRoute, async (c) => {
  const { orgId } = c.req.valid('param');
  const rows = await listLicences(useCaseContext(c, { orgId }));
  return c.json(
    {
      data: rows.map(({ product, siteName, seatsUsed, seatsAvailable }) => ({
        id: product.id,
        key: product.key,
        name: product.name,
        site_id: product.siteId,
        site_name: siteName,
        seats: { limit: product.seatLimit, used: seatsUsed, available: seatsAvailable },
      })),
    },
    200,
  );
});
