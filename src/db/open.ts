import type { Config } from '#src/config/env.ts';
import type { Database } from './client.ts';

/** Opens the configured database: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR. */
export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Promise<Database> {
  // Each driver is loaded only when used: PGlite's module and wasm are not needed on PostgreSQL, nor pg on PGlite.
  if (config.DATABASE_URL) return (await import('./postgres.ts')).openPostgres(config.DATABASE_URL);
  return (await import('./pglite.ts')).openPglite({ dataDir: config.DATA_DIR });
}
