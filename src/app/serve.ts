import { serve } from '@hono/node-server';
import type { Config } from '#src/config/env.ts';
import { boot, type Runtime } from './boot.ts';
import { createApp } from './create-app.ts';

export interface ServeOptions {
  /** Runs after boot, before listening (seeds demo data on first start); returns banner lines. */
  beforeListen?: (runtime: Runtime) => Promise<string[]>;
}

/**
 * Runs the configured role: `web` serves HTTP, `worker` runs jobs, `all` both. On SIGTERM/SIGINT it stops
 * taking requests and jobs, lets running jobs finish (10 s), then closes the database.
 */
export async function runServer(config: Config, options: ServeOptions = {}): Promise<void> {
  const runtime = await boot(config, { startWorkers: config.ROLE !== 'web', queueAfterReady: true });
  const { logger } = runtime.services;
  runtime.started.catch((error: unknown) => {
    logger.fatal({ err: error }, 'the job queue or the workers could not start');
    process.exit(1);
  });
  const banner = options.beforeListen ? await options.beforeListen(runtime) : [];
  let server: ReturnType<typeof serve> | undefined;
  if (config.ROLE !== 'worker') {
    const app = createApp(runtime.services);
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, () => resolve());
    });
  }
  const lines = [
    '',
    `Gatehouse is running (role ${config.ROLE}, ${runtime.services.database.driver === 'pglite' ? `embedded database in ${config.DATA_DIR}` : 'PostgreSQL'}).`,
    ...(server
      ? [
          `  URL:       ${config.BASE_URL}`,
          `  Admin:     ${config.BASE_URL}/admin`,
          `  API docs:  ${config.BASE_URL}/docs`,
        ]
      : []),
    ...banner,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await runtime.close(10_000);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
