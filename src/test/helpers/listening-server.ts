import { serve } from '@hono/node-server';
import { createServiceDeskClient } from 'jira.js';
import { freePort } from './free-port.ts';
import { createTestServer, type TestServer } from './server.ts';

/** A test server listening on a real port of 127.0.0.1 (for HTTP clients that need a URL, such as jira.js). */
export interface ListeningTestServer {
  server: TestServer;
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts a test server (no workers) on a free port, its `BASE_URL` set to where it listens. */
export async function startListeningTestServer(): Promise<ListeningTestServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await createTestServer({ workers: false, env: { BASE_URL: baseUrl } });
  const http = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: server.app.fetch, port, hostname: '127.0.0.1' }, () => resolve(started));
  });
  return {
    server,
    baseUrl,
    async close() {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await server.close();
    },
  };
}

/** The published jira.js service-desk client on one site, Basic email:API token, throwing on schema mismatches. */
export function jiraServiceDeskClient(baseUrl: string, siteName: string, email: string, apiToken: string) {
  return createServiceDeskClient({
    host: `${baseUrl}/sites/${siteName}`,
    auth: { type: 'basic', email, apiToken },
    onSchemaMismatch: 'throw',
  });
}
