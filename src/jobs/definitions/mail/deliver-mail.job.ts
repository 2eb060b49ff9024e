import { z } from 'zod';
import { defineJob } from '../define-job.ts';

/**
 * Sends (or keeps) outbox messages: one (`messageId`) or a migration batch's welcome mails (`messageIds`, at most
 * 500, as `MIGRATION_BATCH_CUSTOMERS` is). pg-boss retries with backoff on SMTP errors; a retry sends only the
 * messages still queued.
 */
export const deliverMailJob = defineJob({
  name: 'mail.deliver',
  schema: z.union([
    z.object({ messageId: z.string().min(1) }),
    z.object({ messageIds: z.array(z.string().min(1)).min(1).max(500) }),
  ]),
  retry: { retryLimit: 5, retryDelay: 2, retryBackoff: true },
  concurrency: 2,
  handler: async () => {
    const { deliverMails } = await import('#src/domain/mail/deliver-mail.ts');
    return (services, payload) =>
      deliverMails(services, 'messageIds' in payload ? payload.messageIds : [payload.messageId]);
  },
});
