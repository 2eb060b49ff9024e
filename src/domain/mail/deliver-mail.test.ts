import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMail, insertMail } from '#src/db/queries/mail/mail-outbox.queries.ts';
import { newId } from '#src/shared/ids.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { deliverMails } from './deliver-mail.ts';
import { queueMail } from './queue-mail.ts';

interface Received {
  from: string;
  to: string[];
  user?: string;
  raw: string;
}

let smtp: SMTPServer;
let received: Received[] = [];
let server: TestServer;
let outboxServer: TestServer;

beforeAll(async () => {
  smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 'secret') callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused')) callback(new Error('Mailbox unavailable'));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  server = await createTestServer({
    env: { MAIL_TRANSPORT: 'smtp', SMTP_URL: `smtp://mailer:secret@127.0.0.1:${port}?tls=off` },
  });
  outboxServer = await createTestServer();
});
afterAll(async () => {
  await server?.close();
  await outboxServer?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('mail delivery', () => {
  it('sends a queued message over SMTP with auth and marks it sent', async () => {
    received = [];
    const mail = await server.services.db.transaction((tx) =>
      queueMail(tx, server.services, {
        to: 'someone@example.test',
        subject: 'Hello over SMTP',
        text: 'Body line',
        kind: 'test',
      }),
    );
    const message = await waitFor(() => received.find((r) => r.to.includes('someone@example.test')), 'SMTP');
    expect(message.user).toBe('mailer');
    expect(message.raw).toContain('Subject: Hello over SMTP');
    expect(message.raw).toContain('Body line');
    const row = await waitFor(async () => {
      const found = await findMail(server.services.db, mail.id);
      return found?.status === 'sent' ? found : undefined;
    }, 'status sent');
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it('delivers the sign-up verification mail over SMTP, with a working link', async () => {
    received = [];
    const email = `smtp-${Date.now()}@example.test`;
    const signup = await server.request('POST', '/rest/auth/1/signup', {
      body: { email, name: 'Smtp Person', password: 'correct horse battery staple' },
    });
    expect(signup.status).toBe(202);
    const message = await waitFor(() => received.find((r) => r.to.includes(email)), 'verification mail');
    expect(message.from).toBe('no-reply@gatehouse.local');
    expect(message.raw).toContain('Subject: Verify your email address');
    const unfolded = message.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const token = /verify-email\?token=([\w-]+)/.exec(unfolded)?.[1];
    expect(token).toBeTruthy();
    const verified = await server.request('POST', '/rest/auth/1/verify-email', { body: { token } });
    expect(verified.status).toBe(200);
  });

  it('writes nothing when the transaction rolls back', async () => {
    let id = '';
    await expect(
      server.services.db.transaction(async (tx) => {
        id = (
          await queueMail(tx, server.services, {
            to: 'rollback@example.test',
            subject: 's',
            text: 't',
            kind: 'test',
          })
        ).id;
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await findMail(server.services.db, id)).toBeUndefined();
  });

  it('delivers a batch in one go; a refused message is retried alone, the others are never sent twice', async () => {
    received = [];
    const { db } = server.services;
    const tag = Date.now();
    const addresses = [
      `first-${tag}@example.test`,
      `refused-${tag}@example.test`,
      `third-${tag}@example.test`,
    ];
    const ids: string[] = [];
    for (const to of addresses) {
      const row = await insertMail(db, {
        id: newId(),
        orgId: null,
        kind: 'test',
        to,
        subject: 'Batch',
        text: 't',
      });
      ids.push(row.id);
    }

    await expect(deliverMails(server.services, ids)).rejects.toThrow(/Mailbox unavailable/);
    const after = await Promise.all(ids.map((id) => findMail(db, id)));
    expect(after.map((m) => m?.status)).toEqual(['sent', 'queued', 'sent']);
    expect(after[1]).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/Mailbox unavailable/) });

    // The job's retry: only the refused message is tried again.
    await expect(deliverMails(server.services, ids)).rejects.toThrow(/Mailbox unavailable/);
    expect((await findMail(db, ids[1]!))?.attempts).toBe(2);
    const delivered = received.flatMap((r) => r.to).filter((to) => to.endsWith(`-${tag}@example.test`));
    expect(delivered.sort()).toEqual([addresses[0], addresses[2]].sort());

    // Nothing left to send for the delivered ones.
    expect(await deliverMails(server.services, [ids[0]!, ids[2]!])).toBe('skipped');
  });

  it('keeps the message in the outbox with MAIL_TRANSPORT=outbox', async () => {
    const mail = await outboxServer.services.db.transaction((tx) =>
      queueMail(tx, outboxServer.services, {
        to: 'kept@example.test',
        subject: 's',
        text: 't',
        kind: 'test',
      }),
    );
    const row = await waitFor(async () => {
      const found = await findMail(outboxServer.services.db, mail.id);
      return found?.status === 'kept' ? found : undefined;
    }, 'status kept');
    expect(row.to).toBe('kept@example.test');
  });
});
