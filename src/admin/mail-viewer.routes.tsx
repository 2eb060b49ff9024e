import { Hono } from 'hono';
import { listAllMailInLocalMode } from '#src/domain/mail/list-all-mail.ts';
import type { AppEnv } from '#src/web/http.ts';
import { Document } from '#src/web/ui/layout.tsx';
import { MailListView } from './mail.views.tsx';

/**
 * `GET /mail`: the mail viewer of local mode (outbox transport, loopback host): every outgoing mail, system
 * mail included, with its links clickable. Elsewhere it answers 404 (see `isLocalMode`).
 */
export const mailViewerRoutes = new Hono<AppEnv>();

mailViewerRoutes.get('/mail', async (c) => {
  const to = (c.req.query('to') ?? '').trim().slice(0, 320);
  const mail = await listAllMailInLocalMode(c.get('services'), { to: to || undefined, limit: 100 });
  return c.html(
    <Document title="Mail viewer">
      <main id="main" class="narrow stack">
        <h1>Mail viewer</h1>
        <p class="muted">
          Outbox mode: nothing leaves this machine. Every mail Gatehouse would have sent is here, newest
          first; follow a link on behalf of its recipient. <a href="/">Home</a>
        </p>
        <MailListView mail={mail} to={to} action="/mail" />
      </main>
    </Document>,
  );
});
