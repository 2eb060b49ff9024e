import type { buildMigrationTenant } from '#src/test/factories/migration.ts';
import { bearer, type TestServer } from '#src/test/helpers/server.ts';

/** The migration API calls shared by the migration route tests. */

export type Tenant = Awaited<ReturnType<typeof buildMigrationTenant>>;
export const base = (t: Tenant) => `/admin/v1/orgs/${t.org.id}/sites/${t.site.id}`;

/** `start` and `waitForTask` against the test server that `getServer` returns (it is created in `beforeAll`). */
export function migrationCalls(getServer: () => TestServer) {
  async function start(t: Tenant, body: unknown, headers = bearer(t.apiKey)) {
    return getServer().request('POST', `${base(t)}/migrations`, { body, headers });
  }

  /** Polls the task until it leaves queued/running (the worker runs in-process). */
  async function waitForTask(t: Tenant, taskId: string) {
    for (let i = 0; i < 400; i++) {
      const response = await getServer().request('GET', `${base(t)}/migrations/${taskId}?limit=100`, {
        headers: bearer(t.apiKey),
      });
      const body = await response.json();
      if (!['queued', 'running'].includes(body.task.status)) return body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`task ${taskId} did not finish`);
  }

  return { start, waitForTask };
}
