import type { z } from 'zod';
import { completeSignUpJob } from './accounts/complete-sign-up.job.ts';
import { sendResetMailJob } from './accounts/send-reset-mail.job.ts';
import { sweepJob } from './accounts/sweep.job.ts';
import { completeCustomerSignUpJob } from './customers/complete-sign-up.job.ts';
import { sendCustomerResetMailJob } from './customers/send-reset-mail.job.ts';
import type { JobDefinition, JobRetry } from './define-job.ts';
import { deliverMailJob } from './mail/deliver-mail.job.ts';
import { runMigrationTaskJob } from './migration/run-task.job.ts';
import { shareMigrationTaskJob } from './migration/share-task.job.ts';

export type { JobDefinition, JobRetry, JobStatus } from './define-job.ts';

/** Every job the worker runs. Add a file under `definitions/<area>/` (see `defineJob`) and list it here. */
export const JOBS = [
  deliverMailJob,
  runMigrationTaskJob,
  shareMigrationTaskJob,
  sweepJob,
  sendResetMailJob,
  sendCustomerResetMailJob,
  completeSignUpJob,
  completeCustomerSignUpJob,
] as const;

type Job = (typeof JOBS)[number];

/** Every job name with its payload type, derived from the list (what `queue.enqueue` accepts). */
export type JobPayloads = { [J in Job as J['name']]: z.infer<J['schema']> };
export type JobName = keyof JobPayloads;

/** The retry policy of each queue, from the definitions. */
export const JOB_RETRY = Object.fromEntries(JOBS.map((job) => [job.name, job.retry])) as Record<
  JobName,
  JobRetry
>;

/** Jobs pg-boss starts on a cron schedule (UTC), from the definitions. */
export const SCHEDULES = Object.fromEntries(
  JOBS.flatMap((job: JobDefinition) => (job.schedule ? [[job.name, job.schedule]] : [])),
) as Partial<Record<JobName, string>>;

/** The list as the runner walks it (each definition's payload type erased). */
export const JOB_DEFINITIONS = JOBS as readonly JobDefinition[];
