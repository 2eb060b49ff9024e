import nodemailer from 'nodemailer';
import {
  findQueuedMails,
  markMailAttemptFailed,
  markMailsDone,
} from '#src/db/queries/mail/mail-outbox.queries.ts';
import type { AppServices } from '../services.ts';

type Transporter = ReturnType<typeof nodemailer.createTransport>;
const transporters = new Map<string, Transporter>();

function transporterFor(url: string): Transporter {
  let transporter = transporters.get(url);
  if (!transporter) {
    const parsed = new URL(url);
    // Plain smtp:// to a local relay may not offer STARTTLS; smtps:// is TLS from the start.
    transporter = nodemailer.createTransport({
      host: parsed.hostname,
      port: Number(parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)),
      secure: parsed.protocol === 'smtps:',
      ignoreTLS: parsed.searchParams.get('tls') === 'off',
      auth: parsed.username
        ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }
        : undefined,
    });
    transporters.set(url, transporter);
  }
  return transporter;
}

/**
 * Delivers outbox messages (one, or a migration batch's welcome mails): read in one statement, sent one after the
 * other, then marked in one statement. With MAIL_TRANSPORT=outbox they are only marked `kept` (the table is the
 * mailbox); with `smtp` they go through SMTP_URL and are marked `sent`. A failed message has its attempt recorded;
 * the job is retried after the others are marked, so a retry sends only what is still queued.
 * @returns `skipped` when every message is missing or already delivered.
 */
export async function deliverMails(
  services: Pick<AppServices, 'db' | 'config' | 'clock' | 'logger'>,
  messageIds: string[],
): Promise<'success' | 'skipped'> {
  const messages = await findQueuedMails(services.db, messageIds);
  if (messages.length === 0) return 'skipped';
  if (services.config.MAIL_TRANSPORT !== 'smtp' || !services.config.SMTP_URL) {
    await markMailsDone(
      services.db,
      messages.map((m) => m.id),
      'kept',
      services.clock.now(),
    );
    return 'success';
  }
  const transporter = transporterFor(services.config.SMTP_URL);
  const sent: string[] = [];
  let failure: unknown;
  for (const message of messages) {
    try {
      await transporter.sendMail({
        from: services.config.MAIL_FROM,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        messageId: `<${message.id}@gatehouse>`,
      });
      sent.push(message.id);
    } catch (error) {
      failure ??= error;
      const text = error instanceof Error ? error.message : String(error);
      await markMailAttemptFailed(services.db, message.id, text);
      services.logger.warn({ messageId: message.id, err: text }, 'mail delivery failed; will retry');
    }
  }
  await markMailsDone(services.db, sent, 'sent', services.clock.now());
  if (failure) throw failure;
  return 'success';
}
