import { describe, expect, it } from 'vitest';
import { computeSla } from './sla.ts';

const at = (hours: number) => new Date(Date.UTC(2026, 0, 1) + hours * 3_600_000);

describe('SLA clocks from the status history', () => {
  it('stops first response when the request leaves Waiting for support; breaches past the goal', () => {
    const [response] = computeSla(
      [
        { status: 'Waiting for support', at: at(0) },
        { status: 'In progress', at: at(5) },
      ],
      at(6),
    );
    expect(response!.ongoingCycle).toBeUndefined();
    expect(response!.completedCycles[0]).toMatchObject({ elapsedMillis: 5 * 3_600_000, breached: true });
  });

  it('pauses resolution while waiting for the customer and starts a new cycle on reopening', () => {
    const [, resolution] = computeSla(
      [
        { status: 'Waiting for support', at: at(0) },
        { status: 'Waiting for customer', at: at(2) },
        { status: 'In progress', at: at(12) },
        { status: 'Resolved', at: at(13) },
        { status: 'Waiting for support', at: at(20) },
        { status: 'Waiting for customer', at: at(21) },
      ],
      at(30),
    );
    expect(resolution!.completedCycles).toHaveLength(1);
    expect(resolution!.completedCycles[0]).toMatchObject({ elapsedMillis: 3 * 3_600_000, breached: false });
    expect(resolution!.ongoingCycle).toMatchObject({ paused: true, elapsedMillis: 3_600_000 });
    expect(resolution!.ongoingCycle!.breachTime).toBeUndefined();
  });
});
