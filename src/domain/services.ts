import type { Config } from '#src/config/env.ts';
import type { Database, Db } from '#src/db/client.ts';
import type { Queue } from '#src/jobs/queue.ts';
import type { Clock } from '#src/shared/clock.ts';
import type { Logger } from '#src/shared/logger.ts';
import type { PasswordHashing } from './accounts/passwords.ts';

/**
 * What every use case may depend on: passed explicitly, never imported as a singleton.
 * Built once by the composition root (`src/app`), or by the test helpers.
 */
export interface AppServices {
  config: Config;
  database: Database;
  db: Db;
  queue: Queue;
  clock: Clock;
  logger: Logger;
  passwords: PasswordHashing;
}
