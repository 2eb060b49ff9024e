import { z } from 'zod';
import type { JobDefinition } from '../types.ts';

/**
 * `accounts.sweep`: deletes expired sessions, used/expired tokens and old rate-limit and lockout rows. Scheduled
 * with pg-boss `schedule` (`SCHEDULES` in queue.ts); running it twice at once is harmless (plain deletes).
 */
export const sweepJob: JobDefinition<'accounts.sweep'> = {
  name: 'accounts.sweep',
  schema: z.object({}).passthrough(),
  concurrency: 1,
  handler: async () => {
    const { sweepAuthRows } = await import('#src/domain/accounts/sweep-auth-rows.ts');
    return async (services) => {
      const counts = await sweepAuthRows(services);
      services.logger.info({ job: 'accounts.sweep', deleted: counts }, 'swept expired auth rows');
      return 'success';
    };
  },
};
