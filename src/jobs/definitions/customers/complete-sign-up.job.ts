import { z } from 'zod';
import { defineJob } from '../define-job.ts';

/** `customers.complete-sign-up`: the portal variant of `accounts.complete-sign-up` (see `customerSignUp`). */
export const completeCustomerSignUpJob = defineJob({
  name: 'customers.complete-sign-up',
  // Only the id of the pending sign-up (see `accounts.complete-sign-up`); the second shape is that of jobs queued
  // before `pending_sign_ups` existed.
  schema: z.union([
    z.object({ pendingSignUpId: z.string().max(64) }),
    z
      .object({
        orgId: z.string().max(64),
        siteId: z.string().max(64),
        email: z.string().max(320),
        displayName: z.string().max(255),
        passwordHash: z.string().max(512),
        ip: z.string().max(64).nullable(),
      })
      .transform(({ displayName, ...rest }) => ({ ...rest, name: displayName })),
  ]),
  retry: { retryLimit: 5, retryDelay: 2, retryBackoff: true },
  concurrency: 2,
  handler: async () => {
    const { completeCustomerSignUp } = await import('#src/domain/customers/customer-auth.ts');
    return (services, payload) => completeCustomerSignUp(services, payload);
  },
});
