import type { Command } from 'commander';
import type { MigrateOptions } from './customers-migrate.ts';

/** `gatehouse customers …`: commands that talk to a running server over HTTP. */
export function registerCustomersCommands(program: Command): void {
  const customers = program.command('customers').description('Portal-only customers (over the HTTP API)');
  customers
    .command('migrate')
    .description(
      'Migrate portal-only customers of a site to accounts, in batches of up to 1,000, with a progress bar; Ctrl-C cancels (finished customers stay migrated). Exit code 0 all migrated, 2 some failed, 130 cancelled.',
    )
    .requiredOption('--site <site>', 'site name')
    .option('--all', 'every active customer of the site (with --include-revoked also revoked ones)')
    .option('--emails-file <file>', 'a file with one customer email per line')
    .option('--ids <ids...>', 'customer ids (qm:…)')
    .option('--dry-run', 'preview only: links vs new accounts, conflicts, what moves, licence impact')
    .option('--include-revoked', 'also migrate customers whose access was revoked')
    .option('--url <url>', 'server URL (or GATEHOUSE_URL; default http://127.0.0.1:8080)')
    .option('--api-key <key>', 'org API key (or GATEHOUSE_API_KEY)')
    .option('--org <orgId>', 'organization id (default: the org of the API key)')
    .option(
      '--report <file>',
      'report file (.csv or .json); default DATA_DIR/reports/migration-report-<time>.csv, or migration-preview-<time>.json with --dry-run',
    )
    .option('--poll <ms>', 'progress poll interval in ms', '500')
    .option('-y, --yes', 'do not ask for confirmation on a terminal (scripts without one are never asked)')
    .action(async (options: MigrateOptions) => {
      const { ApiError, runMigrate } = await import('./customers-migrate.ts');
      try {
        process.exitCode = await runMigrate(options);
      } catch (error) {
        if (error instanceof ApiError) {
          process.stderr.write(`${error.message}\n`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
    });
}
