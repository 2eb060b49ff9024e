import { z } from 'zod';
import { defineJob } from '../define-job.ts';

/** Sends (or keeps) one outbox message; pg-boss retries with backoff on SMTP errors. */
export const deliverMailJob = defineJob({
  name: 'mail.deliver',
  schema: z.object({ messageId: z.string().min(1) }),
  retry: { retryLimit: 5, retryDelay: 2, retryBackoff: true },
  concurrency: 2,
  handler: async () => {
    const { deliverMail } = await import('#src/domain/mail/deliver-mail.ts');
    return (services, payload) => deliverMail(services, payload.messageId);
  },
});
