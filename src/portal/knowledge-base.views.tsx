import type { FC } from 'hono/jsx';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { articleText, type searchKbArticlesFor } from '#src/domain/servicedesk/knowledge-base.ts';
import { PortalShell, portalHref } from './portal-shell.tsx';

/** Knowledge base search; each result shows its article. */
export const KnowledgeBaseView: FC<{
  site: SiteRow;
  who: string | undefined;
  csrf: string;
  q: string;
  articles: Awaited<ReturnType<typeof searchKbArticlesFor>>;
}> = ({ site, who, csrf, q, articles }) => {
  return (
    <PortalShell site={site} title="Knowledge base" who={who} csrf={csrf} current="kb">
      <form method="get" class="filters" action={portalHref(site.name, '/kb')}>
        <div class="field">
          <label for="kb-q">Search articles</label>
          <input id="kb-q" type="search" name="q" value={q} />
        </div>
        <button type="submit">Search</button>
      </form>
      {q && articles.length === 0 ? <p>No articles match “{q}”.</p> : null}
      {articles.slice(0, 50).map((a) => (
        <details class="card article">
          <summary>
            <strong>{a.title}</strong>
            <br />
            <span class="muted">{articleText(a.bodyHtml).slice(0, 160)}</span>
          </summary>
          {/* bodyHtml is sanitized by the domain when the article is written. */}
          <div class="article-body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
        </details>
      ))}
    </PortalShell>
  );
};
