import { z } from 'zod';
import type { JobDefinition } from '../types.ts';

/** `accounts.send-reset-mail`: the lookup, token and mail of a password-reset request (see `requestPasswordReset`). */
export const sendResetMailJob: JobDefinition<'accounts.send-reset-mail'> = {
  name: 'accounts.send-reset-mail',
  schema: z.object({ email: z.string().max(320), ip: z.string().max(64).nullable() }),
  concurrency: 2,
  handler: async () => {
    const { sendPasswordResetMail } = await import('#src/domain/accounts/password-reset.ts');
    return (services, payload) => sendPasswordResetMail(services, payload);
  },
};
