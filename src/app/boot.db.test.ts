import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '#src/db/queries/raw-rows.ts';
import { organizations } from '#src/db/schema/index.ts';
import { newId } from '#src/shared/ids.ts';
import { createTestDatabase } from '#src/test/helpers/database.ts';
import { testConfig } from '#src/test/helpers/test-env.ts';
import { boot } from './boot.ts';
import { createApp } from './create-app.ts';

/**
 * `serve` answers before its job queue runs (`queueAfterReady`: on a warm start pg-boss and the workers start
 * after readiness, on both drivers). A write that sends a job in that window waits for the queue at the HTTP edge,
 * before its transaction, and its job is kept.
 */
describe('a server that is ready before its job queue', () => {
  it('holds a write that sends a job until the queue runs, and keeps the job', async () => {
    const runtime = await boot(testConfig(), {
      database: await createTestDatabase(),
      startWorkers: false,
      queueAfterReady: true,
    });
    try {
      // A warm start: the queue is not running yet when the server may answer.
      expect(await Promise.race([runtime.started.then(() => 'running'), Promise.resolve('not yet')])).toBe(
        'not yet',
      );
      const email = `early-${newId()}@example.com`;
      const response = await createApp(runtime.services).request('/rest/auth/1/signup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, name: 'Early', password: 'a long passphrase' }),
      });
      expect(response.status).toBe(202);
      await runtime.started;
      const jobs = rowsOf<{ n: string }>(
        await runtime.services.db.execute(
          sql`select count(*) as n from pgboss.job where name = 'accounts.complete-sign-up'`,
        ),
      );
      expect(Number(jobs[0]!.n)).toBe(1);
    } finally {
      await runtime.close(2000);
    }
  });

  it('answers a write with a clear 503 when the job queue could not start, and reads still work', async () => {
    const runtime = await boot(testConfig(), { database: await createTestDatabase(), startWorkers: false });
    try {
      const failed = Promise.reject(new Error('pg-boss could not start'));
      failed.catch(() => {});
      const app = createApp({ ...runtime.services, queue: { ...runtime.services.queue, started: failed } });
      const write = await app.request('/rest/auth/1/signup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `late-${newId()}@example.com`,
          name: 'Late',
          password: 'a long passphrase',
        }),
      });
      expect(write.status).toBe(503);
      expect(JSON.stringify(await write.json())).toContain('job queue is not running');
      expect((await app.request('/readyz')).status).toBe(200);
    } finally {
      await runtime.close(2000);
    }
  });

  it('a job sent inside a transaction before the queue runs: kept on PostgreSQL, a clear error on PGlite', async () => {
    const runtime = await boot(testConfig(), {
      database: await createTestDatabase(),
      startWorkers: false,
      queueAfterReady: true,
    });
    try {
      const orgId = newId();
      const send = runtime.services.db.transaction(async (tx) => {
        await tx.insert(organizations).values({ id: orgId, name: 'Early', userManagement: 'original' });
        return runtime.services.queue.enqueue('mail.deliver', { messageId: orgId }, { tx });
      });
      if (runtime.services.database.driver === 'pglite') {
        // Waiting would hold the one connection the queue's start needs: refused at once instead of hanging.
        await expect(send).rejects.toThrow(/await queue.started before the transaction/);
        return;
      }
      const jobId = await send;
      await runtime.started;
      expect(await runtime.boss.getJobById('mail.deliver', jobId!)).toMatchObject({
        data: { messageId: orgId },
        state: 'created',
      });
    } finally {
      await runtime.close(2000);
    }
  });
});
