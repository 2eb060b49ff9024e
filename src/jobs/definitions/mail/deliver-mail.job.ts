import { z } from 'zod';
import type { JobDefinition } from '../types.ts';

/** Sends (or keeps) one outbox message; pg-boss retries with backoff on SMTP errors (queue.ts JOB_RETRY). */
export const deliverMailJob: JobDefinition<'mail.deliver'> = {
  name: 'mail.deliver',
  schema: z.object({ messageId: z.string().min(1) }),
  concurrency: 2,
  handler: async () => {
    const { deliverMail } = await import('#src/domain/mail/deliver-mail.ts');
    return (services, payload) => deliverMail(services, payload.messageId);
  },
};
