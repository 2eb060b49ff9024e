import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * What a customer's or agent's text may become: paragraphs, emphasis, code, lists, quotes and links. No images
 * (a tracking pixel in a request would report who read it), no raw HTML, no script or style; headings are
 * lowered to h3/h4 so they sit under the page's own headings.
 */
const USER_TEXT: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'del',
    'code',
    'pre',
    'ul',
    'ol',
    'li',
    'blockquote',
    'a',
    'h3',
    'h4',
    'hr',
  ],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: {
    h1: 'h3',
    h2: 'h3',
    h5: 'h4',
    h6: 'h4',
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }),
  },
};

/** Markdown written by a person (request description, comment) as safe HTML. */
export function renderUserMarkdown(text: string): string {
  return sanitizeHtml(marked.parse(text, { async: false, breaks: true, gfm: true }) as string, USER_TEXT);
}

/** A request's description or a comment, rendered from Markdown and sanitized. */
export const Markdown: FC<{ text: string; testId?: string }> = ({ text, testId }) => (
  <div class="md" data-testid={testId}>
    {raw(renderUserMarkdown(text))}
  </div>
);
