import { boot, type Runtime } from '#src/app/boot.ts';
import { createApp, type GatehouseApp } from '#src/app/create-app.ts';
import type { AppServices } from '#src/domain/services.ts';
import { createTestDatabase } from './database.ts';
import { auditResponses } from './response-audit.ts';
import { testConfig } from './test-env.ts';

export interface TestServer {
  app: GatehouseApp;
  services: AppServices;
  runtime: Runtime;
  /** In-process request: JSON body and Authorization/other headers. */
  request(
    method: string,
    path: string,
    init?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A whole Gatehouse on its own fresh database, served in-process (`app.request`), with job workers on
 * unless `workers: false`. Every answer is audited (`response-audit.ts`): the links of each JSON answer must
 * resolve for the same caller and each status must be declared in `/openapi.json`; `close()` throws the
 * problems found. `audit: false` turns that off for tests that count statements or flood the app.
 */
export async function createTestServer(
  options: { workers?: boolean; env?: Record<string, string>; audit?: boolean } = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const runtime = await boot(testConfig(options.env), { database, startWorkers: options.workers ?? true });
  const app = createApp(runtime.services);
  const enabled = options.audit ?? true;
  const audit = auditResponses(
    app,
    (runtime.services.config.BASE_URL ?? 'http://localhost').replace(/\/$/, ''),
    {
      links: enabled,
      statuses: enabled,
    },
  );
  return {
    app,
    services: runtime.services,
    runtime,
    request(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      return Promise.resolve(app.request(path, { method, headers, body }));
    },
    async close() {
      await audit
        .checkStatuses()
        .catch((error: unknown) => audit.problems.push(`status check failed: ${error}`));
      await runtime.close(2000);
      if (audit.problems.length > 0)
        throw new Error(`Response audit (src/test/helpers/response-audit.ts):\n${audit.problems.join('\n')}`);
    },
  };
}

/** Bearer header for an org API key. */
export function bearer(secret: string): Record<string, string> {
  return { authorization: `Bearer ${secret}` };
}
