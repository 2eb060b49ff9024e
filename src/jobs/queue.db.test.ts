import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizations } from '#src/db/schema/index.ts';
import { newId } from '#src/shared/ids.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

/**
 * The enqueue seam on both drivers, at the pg-boss level: no job definitions run here (workers off), the test
 * registers its own worker on a real queue name.
 */
const QUEUE = 'mail.deliver';

let server: TestServer;
let closed = false;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(async () => {
  if (!closed) await server.close();
});

class Rollback extends Error {}

describe('enqueue inside a transaction (outbox)', () => {
  it('leaves no job and no data when the transaction rolls back', async () => {
    const orgId = newId();
    let jobId: string | null = null;
    await expect(
      server.services.db.transaction(async (tx) => {
        await tx.insert(organizations).values({ id: orgId, name: 'Rolled back', userManagement: 'original' });
        jobId = await server.services.queue.enqueue(QUEUE, { messageId: orgId }, { tx });
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    expect(jobId).toEqual(expect.any(String));
    expect(await server.runtime.boss.getJobById(QUEUE, jobId!)).toBeNull();
    const queued = await server.runtime.boss.findJobs<{ messageId: string }>(QUEUE);
    expect(queued.filter((job) => job.data.messageId === orgId)).toEqual([]);
  });

  it('runs the job once the transaction commits, with its payload and retry policy', async () => {
    const messageId = newId();
    const jobId = await server.services.db.transaction(async (tx) => {
      await tx.insert(organizations).values({ id: messageId, name: 'Committed', userManagement: 'original' });
      return server.services.queue.enqueue(QUEUE, { messageId }, { tx });
    });
    expect(jobId).toEqual(expect.any(String));
    const stored = await server.runtime.boss.getJobById(QUEUE, jobId!);
    expect(stored).toMatchObject({ data: { messageId }, retryLimit: 5 });

    const ran = new Promise<{ id: string; data: unknown }>((resolve) => {
      void server.runtime.boss.work<{ messageId: string }>(
        QUEUE,
        { pollingIntervalSeconds: 0.5 },
        async ([job]) => {
          if (job) resolve({ id: job.id, data: job.data });
        },
      );
    });
    expect(await ran).toEqual({ id: jobId, data: { messageId } });
    await server.runtime.boss.offWork(QUEUE);
  });

  it('enqueues outside a transaction too', async () => {
    const jobId = await server.services.queue.enqueue(QUEUE, { messageId: 'plain' });
    expect(await server.runtime.boss.getJobById(QUEUE, jobId!)).toMatchObject({
      data: { messageId: 'plain' },
    });
    await server.runtime.boss.deleteJob(QUEUE, jobId!);
  });
});

describe('graceful shutdown of the runtime', () => {
  it('lets a running job finish before closing the database', async () => {
    const events: string[] = [];
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    await server.runtime.boss.work(QUEUE, { pollingIntervalSeconds: 0.5 }, async () => {
      events.push('job started');
      started();
      await new Promise((resolve) => setTimeout(resolve, 500));
      events.push('job finished');
    });
    await server.services.queue.enqueue(QUEUE, { messageId: 'slow' });
    await running;
    closed = true;
    await server.close();
    events.push('closed');
    expect(events).toEqual(['job started', 'job finished', 'closed']);
  });
});
