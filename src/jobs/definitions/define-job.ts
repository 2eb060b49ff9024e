import type { z } from 'zod';
import type { AppServices } from '#src/domain/services.ts';

/** The outcome of one run (style.md §2.9). Throwing means "failed, retry". */
export type JobStatus = 'success' | 'skipped';

/** pg-boss retry policy of a job (style.md §2.9: 5 attempts with exponential backoff by default). */
export interface JobRetry {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
}

/**
 * A job, declared whole in one file (`definitions/<area>/<name>.job.ts`): its name, payload schema, retry
 * policy, how many a worker runs at once, and a lazily imported handler (so the domain never imports jobs).
 */
export interface JobDefinition<N extends string = string, S extends z.ZodType = z.ZodType> {
  name: N;
  schema: S;
  retry: JobRetry;
  /** Jobs a worker runs at once for this queue. */
  concurrency: number;
  /** A cron schedule (UTC) when pg-boss should start it by itself; written at boot by `startBoss`. */
  schedule?: string;
  handler: () => Promise<(services: AppServices, payload: z.infer<S>) => Promise<JobStatus>>;
}

/** Declares a job; the name stays a literal type, so the queue's names and payload types derive from the list. */
export function defineJob<const N extends string, S extends z.ZodType>(
  definition: JobDefinition<N, S>,
): JobDefinition<N, S> {
  return definition;
}
