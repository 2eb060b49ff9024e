import { Hono } from 'hono';
import { listAllMailInLocalMode } from '#src/domain/mail/list-all-mail.ts';
import type { AppEnv } from '#src/web/http.ts';
import { Document } from '#src/web/ui/layout.tsx';

/**
 * `GET /mail`: the mail viewer of local mode (outbox transport, loopback host): every outgoing mail, system
 * mail included, with its links clickable. Elsewhere it answers 404 (see `isLocalMode`).
 */
export const mailViewerRoutes = new Hono<AppEnv>();

const URL_PATTERN = /https?:\/\/[^\s<>"]+/g;
const fmt = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

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
        <form method="get" class="filters" action="/mail">
          <div class="field">
            <label for="to">Recipient</label>
            <input id="to" name="to" type="search" value={to} />
          </div>
          <button type="submit">Filter</button>
        </form>
        {mail.length === 0 ? <p>No mail.</p> : null}
        {mail.map((m) => (
          <article class="comment" data-testid="mail" data-to={m.to}>
            <header>
              To <strong>{m.to}</strong> · {m.kind} · {m.status} · {fmt(m.createdAt)}
            </header>
            <h2 class="mail-subject">{m.subject}</h2>
            <p class="pre">{m.text}</p>
            <ul>
              {[...m.text.matchAll(URL_PATTERN)].map(([link]) => (
                <li>
                  <a href={link} data-testid="mail-link">
                    {link}
                  </a>
                </li>
              ))}
            </ul>
          </article>
        ))}
      </main>
    </Document>,
  );
});
