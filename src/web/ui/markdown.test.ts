import { describe, expect, it } from 'vitest';
import { renderUserMarkdown } from './markdown.tsx';

describe('user Markdown', () => {
  it('renders emphasis, lists and links', () => {
    expect(renderUserMarkdown('The **VPN** drops.')).toBe('<p>The <strong>VPN</strong> drops.</p>\n');
    expect(renderUserMarkdown('- one\n- two')).toContain('<ul>\n<li>one</li>');
    expect(renderUserMarkdown('[docs](https://example.test)')).toContain(
      '<a href="https://example.test" rel="nofollow noopener noreferrer">docs</a>',
    );
  });

  it('keeps no script, handler, image, style or javascript: link', () => {
    const html = renderUserMarkdown(
      '<script>alert(1)</script><img src="https://t.example/p.gif" onerror="x()"><b style="color:red">b</b>',
    );
    expect(html).not.toMatch(/script|onerror|<img|style=/);
    expect(renderUserMarkdown('[x](javascript:alert(1)) ![p](https://t.example/p.gif)')).toBe(
      '<p><a rel="nofollow noopener noreferrer">x</a> </p>\n',
    );
  });

  it('lowers headings below the page heading', () => {
    expect(renderUserMarkdown('# Title')).toBe('<h3>Title</h3>\n');
  });
});
