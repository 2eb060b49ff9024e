import { runServer } from '#src/app/serve.ts';
import { loadConfig } from '#src/config/env.ts';

/** `gatehouse serve`: runs the configured role; seeds the demo into an empty database when SEED_DEMO is on. */
export async function serveCommand(options: { role?: string }): Promise<void> {
  const config = loadConfig(options.role ? { ROLE: options.role } : {});
  await runServer(config, {
    beforeListen: async (runtime) => {
      if (!config.SEED_DEMO) return [];
      // Loaded only when seeding is on: the demo data set is the largest module of the start path.
      const { seedDemo } = await import('#src/domain/seed/seed-demo.ts');
      return (await seedDemo(runtime.services)).bannerLines;
    },
  });
}
