import nodemailer from 'nodemailer';
import { findMail, markMailAttemptFailed, markMailDone } from '#src/db/queries/mail/mail-outbox.queries.ts';
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
 * Delivers one outbox message. With MAIL_TRANSPORT=outbox it is only marked `kept` (the table is the mailbox);
 * with `smtp` it is sent through SMTP_URL and marked `sent`. A failure is recorded and rethrown so the job retries.
 * @returns `skipped` when the message is missing or already delivered.
 */
export async function deliverMail(
  services: Pick<AppServices, 'db' | 'config' | 'clock' | 'logger'>,
  messageId: string,
): Promise<'success' | 'skipped'> {
  const message = await findMail(services.db, messageId);
  if (message?.status !== 'queued') return 'skipped';
  if (services.config.MAIL_TRANSPORT !== 'smtp' || !services.config.SMTP_URL) {
    await markMailDone(services.db, message.id, 'kept', services.clock.now());
    return 'success';
  }
  try {
    await transporterFor(services.config.SMTP_URL).sendMail({
      from: services.config.MAIL_FROM,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
      messageId: `<${message.id}@gatehouse>`,
    });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    await markMailAttemptFailed(services.db, message.id, text);
    services.logger.warn({ messageId, err: text }, 'mail delivery failed; will retry');
    throw error;
  }
  await markMailDone(services.db, message.id, 'sent', services.clock.now());
  return 'success';
}
