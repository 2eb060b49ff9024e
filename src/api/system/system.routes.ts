import { createRoute, z } from '@hono/zod-openapi';
import { checkReadiness } from '#src/domain/system/check-readiness.ts';
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
    const { ready, checks } = await checkReadiness(c.get('services'));
    return ready
      ? c.json({ status: 'ok' as const, checks }, 200)
      : c.json({ status: 'unavailable' as const, checks }, 503);
  });
