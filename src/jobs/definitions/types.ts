import type { z } from 'zod';
import type { AppServices } from '#src/domain/services.ts';
import type { JobName, JobPayloads } from '../names.ts';

/** The outcome of one run (style.md §2.9). Throwing means "failed, retry". */
export type JobStatus = 'success' | 'skipped';

/**
 * A job: its payload schema and a lazily imported handler (so the domain never imports jobs).
 * Definition files import this type from here (not from `index.ts`, which lists them: that would be a cycle).
 */
export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  schema: z.ZodType<JobPayloads[N]>;
  /** Jobs a worker runs at once for this queue. */
  concurrency: number;
  handler: () => Promise<(services: AppServices, payload: JobPayloads[N]) => Promise<JobStatus>>;
}
