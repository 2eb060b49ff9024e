import { buildProgram } from '#src/cli/program.ts';
import { ConfigError } from '#src/config/env.ts';
import { DatabaseLockedError } from '#src/db/pglite.ts';

/** Entry point: every command of the `gatehouse` CLI, `serve` included. */
buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof DatabaseLockedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`gatehouse: ${message}\n`);
    process.exit(1);
  });
