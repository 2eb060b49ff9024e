import { sql } from 'drizzle-orm';
import { countAppliedMigrations, countShippedMigrations } from '#src/db/migrate.ts';
import type { AppServices } from '../services.ts';

/** Ready when the database answers and every shipped migration is applied; `checks` says which part is not. */
export async function checkReadiness(
  services: Pick<AppServices, 'database'>,
): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const { database } = services;
  const checks: Record<string, string> = {};
  try {
    await database.db.execute(sql`select 1`);
    checks.database = 'ok';
    const applied = await countAppliedMigrations(database);
    const shipped = countShippedMigrations();
    checks.migrations = applied >= shipped ? 'ok' : `${applied} of ${shipped} applied`;
  } catch {
    checks.database = 'unreachable';
  }
  return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
}
