import { boot, type Runtime } from '#src/app/boot.ts';
import type { Config } from '#src/config/env.ts';

/**
 * Runs an offline command against the database directly: migrations applied, no workers, no HTTP.
 * On the embedded database a running server holds the folder, and opening refuses with its pid.
 */
export async function withRuntime<T>(config: Config, run: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await boot(config, { startWorkers: false });
  try {
    return await run(runtime);
  } finally {
    await runtime.close(1000);
  }
}
