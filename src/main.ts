import { buildProgram } from '#src/cli/program.ts';

// Errors the person can fix (bad configuration, the embedded database held by a server) exit 2, others 1.
// Matched by name, not class: importing the classes would load zod and PGlite before `--help` could answer.
const USAGE_ERRORS = new Set(['ConfigError', 'DatabaseLockedError']);

/** Entry point: every command of the `gatehouse` CLI, `serve` included. */
buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof Error && USAGE_ERRORS.has(error.name)) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    const message = error instanceof Error ? error.message : String(error);
    // A domain error names its code too (e.g. `directory.org_name_in_use`), for scripts and support.
    const code =
      error instanceof Error && error.name === 'AppError' ? (error as { code?: string }).code : undefined;
    process.stderr.write(`gatehouse: ${message}${code ? ` (${code})` : ''}\n`);
    process.exit(1);
  });
