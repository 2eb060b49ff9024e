import { readdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { projectPath } from '#src/shared/project-path.ts';
import type { Database } from './client.ts';

export const MIGRATIONS_FOLDER = projectPath('src', 'db', 'migrations');

/** Applies pending migrations (idempotent); the same SQL runs on both drivers. */
export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (database.driver === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as unknown as PgliteDatabase, config);
  } else {
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    await migrate(database.db as unknown as NodePgDatabase, config);
  }
}

/** Number of migration files shipped with this build. */
export function countShippedMigrations(): number {
  return readdirSync(MIGRATIONS_FOLDER).filter((file) => file.endsWith('.sql')).length;
}

/** Number of migrations recorded as applied; 0 when none ran yet. */
export async function countAppliedMigrations(database: Database): Promise<number> {
  try {
    const result = await database.db.execute(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    return Number((result as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0);
  } catch {
    return 0;
  }
}
