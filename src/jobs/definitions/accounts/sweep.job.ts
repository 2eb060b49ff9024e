import { z } from 'zod';
import { defineJob } from '../define-job.ts';

/**
 * `accounts.sweep`: deletes expired sessions, used/expired tokens and old rate-limit and lockout rows. Started
 * by pg-boss every hour (`schedule`); running it twice at once is harmless (plain deletes).
 */
export const sweepJob = defineJob({
  name: 'accounts.sweep',
  schema: z.object({}).passthrough(),
  retry: { retryLimit: 2, retryDelay: 60, retryBackoff: false },
  concurrency: 1,
  schedule: '17 * * * *',
  handler: async () => {
    const { sweepAuthRows } = await import('#src/domain/accounts/sweep-auth-rows.ts');
    return async (services) => {
      const counts = await sweepAuthRows(services);
      services.logger.info({ job: 'accounts.sweep', deleted: counts }, 'swept expired auth rows');
      return 'success';
    };
  },
});
