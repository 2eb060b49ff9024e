import { z } from '@hono/zod-openapi';
import type { SlaCycle, SlaView } from '#src/domain/servicedesk/sla.ts';
import { presentDate } from './jsm.presenters.ts';
import { ZDateDTO } from './jsm.schemas.ts';

/** JSM SLA shapes (SlaInformationDTO and its cycles) and their presenters. */

export const ZDuration = z.object({ millis: z.number().int(), friendly: z.string() }).openapi('DurationDTO');

function presentDuration(millis: number): z.infer<typeof ZDuration> {
  const negative = millis < 0;
  const minutes = Math.floor(Math.abs(millis) / 60_000);
  const friendly = `${negative ? '-' : ''}${Math.floor(minutes / 60)}h ${minutes % 60}m`;
  return { millis, friendly };
}

const cycleFields = {
  startTime: ZDateDTO,
  breachTime: ZDateDTO.optional(),
  breached: z.boolean(),
  goalDuration: ZDuration,
  elapsedTime: ZDuration,
  remainingTime: ZDuration,
};

export const ZSlaInformation = z
  .object({
    id: z.string(),
    name: z.string(),
    completedCycles: z.array(
      z.object({ ...cycleFields, stopTime: ZDateDTO }).openapi('SlaCompletedCycleDTO'),
    ),
    ongoingCycle: z
      .object({ ...cycleFields, paused: z.boolean(), withinCalendarHours: z.boolean() })
      .optional()
      .openapi('SlaOngoingCycleDTO'),
    _links: z.object({ self: z.string() }),
  })
  .openapi('SlaInformationDTO');

function presentCycle(cycle: SlaCycle) {
  return {
    startTime: presentDate(cycle.start),
    ...(cycle.breachTime ? { breachTime: presentDate(cycle.breachTime) } : {}),
    breached: cycle.breached,
    goalDuration: presentDuration(cycle.goalMillis),
    elapsedTime: presentDuration(cycle.elapsedMillis),
    remainingTime: presentDuration(cycle.goalMillis - cycle.elapsedMillis),
  };
}

export function presentSla(base: string, requestId: number, sla: SlaView): z.infer<typeof ZSlaInformation> {
  return {
    id: String(sla.id),
    name: sla.name,
    completedCycles: sla.completedCycles.map((c) => ({ ...presentCycle(c), stopTime: presentDate(c.stop!) })),
    ...(sla.ongoingCycle
      ? {
          ongoingCycle: {
            ...presentCycle(sla.ongoingCycle),
            paused: sla.ongoingCycle.paused,
            withinCalendarHours: false,
          },
        }
      : {}),
    _links: { self: `${base}/rest/servicedeskapi/request/${requestId}/sla/${sla.id}` },
  };
}
