import type { Executor } from '#src/db/client.ts';
import { issueAuthToken } from '../accounts/auth-tokens.ts';
import { mailLink, queueMail } from '../mail/queue-mail.ts';
import type { AppServices } from '../services.ts';

/**
 * Queues the "verify your email and set a password" message for an account created by a migration: a single-use
 * `set_password` token (stored as its hash; setting the password through it also proves the email) and an
 * outbox row, with its delivery job, all in the migration's transaction, so the mail goes out only if the
 * migration commits.
 *
 */
export async function queueMigrationWelcomeMail(
  tx: Executor,
  services: Pick<AppServices, 'clock' | 'config' | 'queue'>,
  input: { orgId: string; siteId: string; siteName: string; accountId: string; email: string; name: string },
): Promise<void> {
  const { secret } = await issueAuthToken(tx, services, {
    purpose: 'set_password',
    accountId: input.accountId,
    orgId: input.orgId,
    siteId: input.siteId,
    email: input.email,
    data: { reason: 'migration' },
  });
  await queueMail(tx, services, {
    orgId: input.orgId,
    kind: 'migration.set_password',
    to: input.email,
    ...migrationWelcomeMessage(services, input, secret),
  });
}

/** The welcome message of an account a migration created, with its set-password link. */
export function migrationWelcomeMessage(
  services: Pick<AppServices, 'config'>,
  input: { siteName: string; name: string },
  secret: string,
): { subject: string; text: string } {
  const link = mailLink(services, '/account/set-password', { token: secret });
  return {
    subject: `Your account for ${input.siteName} is ready`,
    text: [
      `Hello ${input.name},`,
      '',
      `Your help-center profile on ${input.siteName} was moved to an account. Your requests are waiting for you.`,
      'Verify your email address and choose a password here (the link works once, for 7 days):',
      link,
    ].join('\n'),
  };
}
