import { z } from '@hono/zod-openapi';

export const ZSiteIdParam = z
  .string()
  .min(1)
  .max(64)
  .openapi({ param: { name: 'siteId', in: 'path' }, description: 'Site id' });

export const ZCustomerIdParam = z
  .string()
  .min(1)
  .max(128)
  .openapi({ param: { name: 'customerId', in: 'path' }, description: 'Portal-only customer id (`qm:…`)' });

export const ZSiteNameParam = z
  .string()
  .min(1)
  .max(63)
  .openapi({ param: { name: 'site', in: 'path' }, description: 'Site name' });
