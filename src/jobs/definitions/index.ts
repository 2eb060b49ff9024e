import type { JobDefinition } from './types.ts';

export type { JobDefinition, JobStatus } from './types.ts';

import { sendResetMailJob } from './accounts/send-reset-mail.job.ts';
import { sweepJob } from './accounts/sweep.job.ts';
import { sendCustomerResetMailJob } from './customers/send-reset-mail.job.ts';
import { deliverMailJob } from './mail/deliver-mail.job.ts';
import { runMigrationTaskJob } from './migration/run-task.job.ts';

/** Every job the worker runs. Add a definition file under `definitions/<area>/` and list it here. */
export const JOB_DEFINITIONS: JobDefinition[] = [
  deliverMailJob as JobDefinition,
  runMigrationTaskJob as JobDefinition,
  sweepJob as JobDefinition,
  sendResetMailJob as JobDefinition,
  sendCustomerResetMailJob as JobDefinition,
];
