import { Command, InvalidArgumentError } from 'commander';
import { registerAuthCommands } from './auth-commands.ts';
import { registerCustomersCommands } from './customers.ts';
import { type RemoteOptions, withRemoteOptions } from './remote.ts';

// Only commander is loaded up front: every action imports what it needs when it runs, so `gatehouse --help`
// and a typo answer at once, and the compiled build (dist/) keeps the server in chunks that load on demand.

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The `gatehouse` command line. */
export function buildProgram(): Command {
  const program = new Command('gatehouse')
    .description('Gatehouse: service-desk identity platform')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command('serve')
    .description(
      'Run the server (role from ROLE: all | web | worker); seeds demo data into an empty database',
    )
    .option('--role <role>', 'all | web | worker (overrides ROLE)')
    .action(async (options: { role?: string }) => {
      const { serveCommand } = await import('./serve-command.ts');
      await serveCommand(options);
    });

  const db = program.command('db').description('Database commands');
  db.command('migrate')
    .description('Apply pending migrations and exit')
    .action(async () => {
      const { migrateCommand } = await import('./offline-commands.ts');
      await migrateCommand();
      print('Migrations applied.');
    });

  program
    .command('seed')
    .description('Seed data into the database')
    .option('--demo', 'the demo organizations, sites, accounts and customers (idempotent)')
    .action(async (options: { demo?: boolean }) => {
      if (!options.demo) throw new InvalidArgumentError('Say what to seed: --demo');
      const { seedDemoCommand } = await import('./offline-commands.ts');
      for (const line of await seedDemoCommand()) print(line);
    });

  const org = program.command('org').description('Organizations');
  org
    .command('create')
    .description('Create an organization and print its id (names are unique)')
    .requiredOption('--name <name>', 'organization name')
    .option('--user-management <mode>', 'original | centralized', 'centralized')
    .action(async (options: { name: string; userManagement: string }) => {
      if (options.userManagement !== 'original' && options.userManagement !== 'centralized') {
        throw new InvalidArgumentError('--user-management must be original or centralized');
      }
      const { createOrganizationCommand } = await import('./offline-commands.ts');
      print(await createOrganizationCommand(options.name, options.userManagement));
    });

  withRemoteOptions(
    org
      .command('list')
      .description('List the organizations the API key administers, from a running server (--url)'),
  ).action(async (options: RemoteOptions) => {
    const { listOrganizations } = await import('./remote-commands.ts');
    for (const line of await listOrganizations(options)) print(line);
  });

  const apiKey = program.command('api-key').description('Org API keys for the admin API');
  apiKey
    .command('create')
    .description('Create an org API key and print it once')
    .requiredOption('--org <org>', 'organization id or name')
    .option('--name <name>', 'a label for the key', 'cli')
    .action(async (options: { org: string; name: string }) => {
      const { createApiKeyCommand } = await import('./offline-commands.ts');
      print(await createApiKeyCommand(options.org, options.name));
    });

  registerAuthCommands(program);
  registerCustomersCommands(program);

  return program;
}
