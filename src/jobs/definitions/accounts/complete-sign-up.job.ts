import { z } from 'zod';
import { defineJob } from '../define-job.ts';

/** `accounts.complete-sign-up`: the lookup, account and mail of a sign-up (see `signUp`). */
export const completeSignUpJob = defineJob({
  name: 'accounts.complete-sign-up',
  // Only the id of the pending sign-up: the password hash stays in the database. The second shape is that of jobs
  // queued before `pending_sign_ups` existed, still accepted so that an upgrade loses no sign-up.
  schema: z.union([
    z.object({ pendingSignUpId: z.string().max(64) }),
    z.object({
      email: z.string().max(320),
      name: z.string().max(255),
      passwordHash: z.string().max(512),
      ip: z.string().max(64).nullable(),
    }),
  ]),
  retry: { retryLimit: 5, retryDelay: 2, retryBackoff: true },
  concurrency: 2,
  handler: async () => {
    const { completeSignUp } = await import('#src/domain/accounts/sign-up.ts');
    return (services, payload) => completeSignUp(services, payload);
  },
});
