import { Command, InvalidArgumentError } from 'commander';
import { applyMigrations } from '#src/app/apply-migrations.ts';
import { runServer } from '#src/app/serve.ts';
import { loadConfig } from '#src/config/env.ts';
import { createApiKey } from '#src/domain/directory/api-keys.ts';
import { createOrganization } from '#src/domain/directory/create-organization.ts';
import { findOrganizationByIdOrName } from '#src/domain/directory/find-organization.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { seedDemo } from '#src/domain/seed/seed-demo.ts';
import { registerAuthCommands } from './auth-commands.ts';
import { registerCustomersCommands } from './customers.ts';
import { withRuntime } from './offline.ts';
import { createRemoteClient, type RemoteOptions, withRemoteOptions } from './remote.ts';

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
      const config = loadConfig(options.role ? { ROLE: options.role } : {});
      await runServer(config, {
        beforeListen: async (runtime) =>
          config.SEED_DEMO ? (await seedDemo(runtime.services)).bannerLines : [],
      });
    });

  const db = program.command('db').description('Database commands');
  db.command('migrate')
    .description('Apply pending migrations and exit')
    .action(async () => {
      await applyMigrations(loadConfig());
      print('Migrations applied.');
    });

  program
    .command('seed')
    .description('Seed data into the database')
    .option('--demo', 'the demo organizations, sites, accounts and customers (idempotent)')
    .action(async (options: { demo?: boolean }) => {
      if (!options.demo) throw new InvalidArgumentError('Say what to seed: --demo');
      await withRuntime(loadConfig(), async (runtime) => {
        const result = await seedDemo(runtime.services);
        for (const line of result.bannerLines) print(line);
      });
    });

  const org = program.command('org').description('Organizations');
  org
    .command('create')
    .description('Create an organization and print its id')
    .requiredOption('--name <name>', 'organization name')
    .option('--user-management <mode>', 'original | centralized', 'centralized')
    .action(async (options: { name: string; userManagement: string }) => {
      if (options.userManagement !== 'original' && options.userManagement !== 'centralized') {
        throw new InvalidArgumentError('--user-management must be original or centralized');
      }
      const mode = options.userManagement;
      await withRuntime(loadConfig(), async ({ services }) => {
        const created = await createOrganization(services, SYSTEM, {
          name: options.name,
          userManagement: mode,
        });
        print(created.id);
      });
    });

  withRemoteOptions(
    org
      .command('list')
      .description('List the organizations the API key administers, from a running server (--url)'),
  ).action(async (options: RemoteOptions) => {
    const client = createRemoteClient(options);
    let next: string | undefined = '/admin/v1/orgs?limit=100';
    while (next) {
      const page: {
        data: Array<{ id: string; attributes: { name: string; userManagement: string } }>;
        links: { next?: string };
      } = await client.request('GET', next);
      for (const o of page.data) print(`${o.id}\t${o.attributes.name}\t${o.attributes.userManagement}`);
      next = page.links.next;
    }
  });

  const apiKey = program.command('api-key').description('Org API keys for the admin API');
  apiKey
    .command('create')
    .description('Create an org API key and print it once')
    .requiredOption('--org <org>', 'organization id or name')
    .option('--name <name>', 'a label for the key', 'cli')
    .action(async (options: { org: string; name: string }) => {
      await withRuntime(loadConfig(), async ({ services }) => {
        const found = await findOrganizationByIdOrName(services.db, options.org);
        if (!found) throw new InvalidArgumentError(`No organization with id or name "${options.org}".`);
        const { secret } = await createApiKey(services, SYSTEM, { orgId: found.id, name: options.name });
        print(secret);
      });
    });

  registerAuthCommands(program);
  registerCustomersCommands(program);

  return program;
}
