import { z } from 'zod';
import { defineJob } from '../define-job.ts';

/** `customers.send-reset-mail`: the portal variant of `accounts.send-reset-mail`. */
export const sendCustomerResetMailJob = defineJob({
  name: 'customers.send-reset-mail',
  schema: z.object({
    orgId: z.string().max(64),
    siteId: z.string().max(64),
    email: z.string().max(320),
    ip: z.string().max(64).nullable(),
  }),
  retry: { retryLimit: 5, retryDelay: 2, retryBackoff: true },
  concurrency: 2,
  handler: async () => {
    const { sendCustomerPasswordResetMail } = await import('#src/domain/customers/customer-auth.ts');
    return (services, payload) => sendCustomerPasswordResetMail(services, payload);
  },
});
