import { describe, expect, it } from 'vitest';
import { organizations } from '#src/db/schema/index.ts';
import { newId } from '#src/shared/ids.ts';
import { createTestDatabase } from '#src/test/helpers/database.ts';
import { testConfig } from '#src/test/helpers/test-env.ts';
import { boot } from './boot.ts';

/**
 * `serve` answers before its job queue runs (`queueAfterReady`: pg-boss starts after readiness on a warm
 * PostgreSQL start, the workers after readiness on both drivers). A job sent in that window is not lost.
 */
describe('a server that is ready before its job queue', () => {
  it('keeps a job sent inside a transaction before the queue ran, and starts the queue', async () => {
    const runtime = await boot(testConfig(), {
      database: await createTestDatabase(),
      startWorkers: false,
      queueAfterReady: true,
    });
    try {
      const orgId = newId();
      const jobId = await runtime.services.db.transaction(async (tx) => {
        await tx.insert(organizations).values({ id: orgId, name: 'Early', userManagement: 'original' });
        return runtime.services.queue.enqueue('mail.deliver', { messageId: orgId }, { tx });
      });
      await runtime.started;
      expect(jobId).toEqual(expect.any(String));
      expect(await runtime.boss.getJobById('mail.deliver', jobId!)).toMatchObject({
        data: { messageId: orgId },
        state: 'created',
      });
    } finally {
      await runtime.close(2000);
    }
  });
});
