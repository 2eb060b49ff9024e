import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { countAppliedMigrations, countShippedMigrations } from '#src/db/migrate.ts';
import { createRouter } from '#src/web/http.ts';

const ZHealth = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.string()).optional(),
});

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['System'],
  summary: 'Liveness',
  description: 'Answers 200 while the process is alive; touches nothing else.',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: ZHealth } } } },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['System'],
  summary: 'Readiness',
  description: 'Answers 200 when the database answers and every shipped migration is applied, else 503.',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: ZHealth } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: ZHealth } } },
  },
});

export const systemRoutes = createRouter()
  .openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200))
  .openapi(readyz, async (c) => {
    const { database } = c.get('services');
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
    const ready = Object.values(checks).every((v) => v === 'ok');
    return ready
      ? c.json({ status: 'ok' as const, checks }, 200)
      : c.json({ status: 'unavailable' as const, checks }, 503);
  });
