import type { Command } from 'commander';
import { loadConfig } from '#src/config/env.ts';
import { issueApiTokenForEmail } from '#src/domain/accounts/manage-api-tokens.ts';
import { describeVerdict, verifyAuditChains } from '#src/domain/audit/verify-all-chains.ts';
import { withRuntime } from './offline.ts';

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
      await withRuntime(loadConfig(), async ({ services }) => {
        const { secret } = await issueApiTokenForEmail(services, options);
        print(secret);
      });
    });

  const audit = program.command('audit').description('Audit log');
  audit
    .command('verify')
    .description('Verify the hash chain of one organization (or all); exits 1 at the first broken link')
    .option('--org <id>', 'organization id (default: every chain)')
    .action(async (options: { org?: string }) => {
      const broken = await withRuntime(loadConfig(), async ({ services }) => {
        const results = await verifyAuditChains(services.db, options.org);
        for (const { orgId, verdict } of results) print(describeVerdict(orgId, verdict));
        return results.filter((r) => !r.verdict.ok).length;
      });
      if (broken > 0) process.exitCode = 1;
    });
}
