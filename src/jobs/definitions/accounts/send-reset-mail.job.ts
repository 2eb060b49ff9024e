import { z } from 'zod';
import { defineJob } from '../define-job.ts';

/** `accounts.send-reset-mail`: the lookup, token and mail of a password-reset request (see `requestPasswordReset`). */
export const sendResetMailJob = defineJob({
  name: 'accounts.send-reset-mail',
  schema: z.object({ email: z.string().max(320), ip: z.string().max(64).nullable() }),
  retry: { retryLimit: 5, retryDelay: 2, retryBackoff: true },
  concurrency: 2,
  handler: async () => {
    const { sendPasswordResetMail } = await import('#src/domain/accounts/password-reset.ts');
    return (services, payload) => sendPasswordResetMail(services, payload);
  },
});
