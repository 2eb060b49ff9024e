import { findLastMailTo, type MailRow } from '#src/db/queries/mail/mail-outbox.queries.ts';
import type { AppServices } from '#src/domain/services.ts';

/** The newest outbox message to `email` (optionally of one kind); fails the test when there is none. */
export async function lastMailTo(
  services: Pick<AppServices, 'db'>,
  email: string,
  kind?: string,
): Promise<MailRow> {
  const mail = await findLastMailTo(services.db, email, kind);
  if (!mail) throw new Error(`No mail to ${email}${kind ? ` of kind ${kind}` : ''}.`);
  return mail;
}

/** The first http(s) link in a message's text (optionally the one containing `contains`). */
export function extractLink(mail: Pick<MailRow, 'text'>, contains = ''): string {
  const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
  const link = links.find((l) => l.includes(contains));
  if (!link) throw new Error(`No link${contains ? ` containing ${contains}` : ''} in: ${mail.text}`);
  return link;
}

/** The `token` query parameter of the first link in a message. */
export function extractToken(mail: Pick<MailRow, 'text'>, contains = ''): string {
  const token = new URL(extractLink(mail, contains)).searchParams.get('token');
  if (!token) throw new Error('The link has no token.');
  return token;
}

/**
 * Like `lastMailTo`, for servers whose workers make the mail in a job: waits for it (readiness, not a fixed
 * delay; the limit only catches a job that never runs).
 */
export async function nextMailTo(
  services: Pick<AppServices, 'db'>,
  email: string,
  kind?: string,
  timeoutMs = 60_000,
): Promise<MailRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = await findLastMailTo(services.db, email, kind);
    if (mail) return mail;
    if (Date.now() > deadline)
      throw new Error(`No mail to ${email}${kind ? ` of kind ${kind}` : ''} arrived.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
