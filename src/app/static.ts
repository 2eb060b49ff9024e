import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';
import { projectPath } from '#src/shared/project-path.ts';

const PUBLIC_DIR = projectPath('public');
const require = createRequire(projectPath('package.json'));
const SWAGGER_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
const HTMX_FILE = join(dirname(require.resolve('htmx.org/package.json')), 'dist', 'htmx.min.js');

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml',
  html: 'text/html; charset=utf-8',
};

function fileResponse(path: string): Response {
  try {
    const body = readFileSync(path);
    const type = TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream';
    return new Response(body, { headers: { 'content-type': type, 'cache-control': 'public, max-age=3600' } });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

const SAFE_NAME = /^[\w.-]+$/;

/** Serves our stylesheet, htmx and the Swagger UI from installed packages: no CDN. */
export function mountStatic(app: Hono<never>): void {
  app.get('/assets/htmx.min.js', () => fileResponse(HTMX_FILE));
  app.get('/assets/:file', (c) => {
    const file = c.req.param('file');
    return SAFE_NAME.test(file) ? fileResponse(join(PUBLIC_DIR, file)) : c.notFound();
  });
  app.get('/docs/assets/:file', (c) => {
    const file = c.req.param('file');
    return SAFE_NAME.test(file) ? fileResponse(join(SWAGGER_DIR, file)) : c.notFound();
  });
  app.get('/docs', (c) =>
    c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gatehouse API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });</script>
</body></html>`),
  );
}
