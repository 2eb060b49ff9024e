import { JOB_DEFINITIONS } from '#src/jobs/definitions/index.ts';
import type { JobName } from '#src/jobs/queue.ts';
import type { TestServer } from './server.ts';

/**
 * Runs the queued jobs of one queue now, in the test (servers built with `workers: false` run none on their own).
 * @returns how many ran.
 */
export async function runQueuedJobs(server: TestServer, name: JobName): Promise<number> {
  const definition = JOB_DEFINITIONS.find((d) => d.name === name);
  if (!definition) throw new Error(`No job definition ${name}`);
  const handle = await definition.handler();
  let ran = 0;
  for (;;) {
    const jobs = await server.runtime.boss.fetch(name, { batchSize: 10 });
    if (!jobs || jobs.length === 0) return ran;
    for (const job of jobs) {
      await handle(server.services, definition.schema.parse(job.data) as never);
      await server.runtime.boss.complete(name, job.id);
      ran += 1;
    }
  }
}
