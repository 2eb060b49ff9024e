import type { Executor } from '#src/db/client.ts';
import { insertMail, type MailRow } from '#src/db/queries/mail/mail-outbox.queries.ts';
import { newId } from '#src/shared/ids.ts';
import type { AppServices } from '../services.ts';

export interface MailInput {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What the message is for, e.g. `verify_email`, `reset_password`, `invitation`. */
  kind: string;
  orgId?: string | null;
}

/**
 * Writes a message to the outbox and enqueues its delivery, both in the caller's transaction: the mail exists
 * (and is sent) exactly when the change that causes it commits.
 */
export async function queueMail(
  tx: Executor,
  services: Pick<AppServices, 'queue' | 'clock'>,
  input: MailInput,
): Promise<MailRow> {
  const row = await insertMail(tx, {
    id: newId(),
    orgId: input.orgId ?? null,
    kind: input.kind,
    to: input.to,
    subject: input.subject,
    text: input.text,
    html: input.html ?? null,
    createdAt: services.clock.now(),
  });
  await services.queue.enqueue('mail.deliver', { messageId: row.id }, { tx, singletonKey: row.id });
  return row;
}

/** An absolute link for a message, on the configured public URL. */
export function mailLink(
  services: Pick<AppServices, 'config'>,
  path: string,
  params: Record<string, string>,
) {
  const url = new URL(path, `${services.config.BASE_URL}/`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}
