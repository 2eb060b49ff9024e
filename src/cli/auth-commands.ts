import type { Command } from 'commander';

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** `gatehouse api-token create` and `gatehouse audit verify` (offline, against the database). */
export function registerAuthCommands(program: Command): void {
  const apiToken = program.command('api-token').description('Personal API tokens (HTTP Basic email:token)');
  apiToken
    .command('create')
    .description('Create an API token for an account and print it once')
    .requiredOption('--email <email>', 'email of the account')
    .option('--label <label>', 'what the token is for', 'cli')
    .action(async (options: { email: string; label: string }) => {
      const { createApiTokenCommand } = await import('./offline-commands.ts');
      print(await createApiTokenCommand(options));
    });

  const audit = program.command('audit').description('Audit log');
  audit
    .command('verify')
    .description(
      'Verify the hash chain of one organization (or all); exits 1 at the first broken link or an unknown org',
    )
    .option('--org <org>', 'organization id or name (default: every chain)')
    .action(async (options: { org?: string }) => {
      const { verifyAuditCommand } = await import('./offline-commands.ts');
      const { lines, broken } = await verifyAuditCommand(options.org);
      for (const line of lines) print(line);
      if (broken > 0) process.exitCode = 1;
    });
}
