import type { FC } from 'hono/jsx';
import type { MailRow } from '#src/db/queries/mail/mail-outbox.queries.ts';

const URL_PATTERN = /https?:\/\/[^\s<>"]+/g;
const fmt = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

/**
 * The recipient filter and the mails, each with its links clickable (how links are followed in outbox mode):
 * the org's outbox page and the local-mode mail viewer show mail alike.
 */
export const MailListView: FC<{ mail: MailRow[]; to: string; action: string }> = ({ mail, to, action }) => (
  <>
    <form method="get" class="filters" action={action}>
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
  </>
);
