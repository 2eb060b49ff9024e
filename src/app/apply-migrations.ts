import type { Config } from '#src/config/env.ts';
import { migrateDatabase } from '#src/db/migrate.ts';
import { openDatabase } from '#src/db/open.ts';

/** `gatehouse db migrate`: opens the configured database, applies pending migrations, closes it. */
export async function applyMigrations(config: Config): Promise<void> {
  const database = await openDatabase(config);
  try {
    await migrateDatabase(database);
  } finally {
    await database.close();
  }
}
