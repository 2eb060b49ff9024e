import { listAllStatusChanges } from '#src/db/queries/servicedesk/request-status-changes.queries.ts';
import type { RequestRow } from '#src/db/queries/servicedesk/requests.queries.ts';
import type { RequestStatus } from '#src/db/schema/index.ts';
import { AppError } from '#src/shared/errors.ts';
import type { AppServices } from '../services.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { getRequest } from './get-request.ts';
import type { StatusEntry } from './status-history.ts';

/**
 * SLA clocks replayed from a request's status history (calendar time, no working-hours calendar):
 * - **Time to first response** (goal 4 h): from creation until the request first leaves "Waiting for support".
 * - **Time to resolution** (goal 16 h): from creation (or a reopening) until Resolved/Closed; paused while the
 *   request waits for the customer. Each reopening starts a new cycle, as in JSM.
 */
export const SLA_METRICS = [
  { id: 1, name: 'Time to first response', goalMillis: 4 * 3_600_000 },
  { id: 2, name: 'Time to resolution', goalMillis: 16 * 3_600_000 },
] as const;

export interface SlaCycle {
  start: Date;
  /** Set on a completed cycle. */
  stop?: Date;
  elapsedMillis: number;
  goalMillis: number;
  breached: boolean;
  /** When the goal is (or was) reached at the current pace; unknown while paused. */
  breachTime?: Date;
  paused: boolean;
}

export interface SlaView {
  id: number;
  name: string;
  completedCycles: SlaCycle[];
  ongoingCycle?: SlaCycle;
}

const DONE: RequestStatus[] = ['Resolved', 'Closed'];

function cycle(start: Date, elapsed: number, goal: number, end: Date, stop?: Date, paused = false): SlaCycle {
  return {
    start,
    ...(stop ? { stop } : {}),
    elapsedMillis: elapsed,
    goalMillis: goal,
    breached: elapsed > goal,
    ...(paused ? {} : { breachTime: new Date(end.getTime() + (goal - elapsed)) }),
    paused,
  };
}

/** Replays the history (oldest first) into the two SLA metrics as of `now`. Pure, so tests feed it directly. */
export function computeSla(history: StatusEntry[], now: Date): SlaView[] {
  const [first] = history;
  if (!first) return SLA_METRICS.map((m) => ({ id: m.id, name: m.name, completedCycles: [] }));
  const [response, resolution] = SLA_METRICS;

  const answered = history.find((e, i) => i > 0 && e.status !== 'Waiting for support');
  const responseElapsed = (answered?.at ?? now).getTime() - first.at.getTime();
  const responseView: SlaView = {
    id: response.id,
    name: response.name,
    completedCycles: answered
      ? [cycle(first.at, responseElapsed, response.goalMillis, first.at, answered.at)]
      : [],
    ...(answered ? {} : { ongoingCycle: cycle(first.at, responseElapsed, response.goalMillis, first.at) }),
  };

  const completed: SlaCycle[] = [];
  let start: Date | null = null;
  let elapsed = 0;
  let runningSince: Date | null = null;
  for (const entry of history) {
    if (runningSince) elapsed += entry.at.getTime() - runningSince.getTime();
    runningSince = null;
    if (DONE.includes(entry.status)) {
      if (start) completed.push(cycle(start, elapsed, resolution.goalMillis, start, entry.at));
      start = null;
      continue;
    }
    if (!start) {
      start = entry.at;
      elapsed = 0;
    }
    if (entry.status !== 'Waiting for customer') runningSince = entry.at;
  }
  let ongoing: SlaCycle | undefined;
  if (start) {
    const paused = runningSince === null;
    const total = elapsed + (runningSince ? now.getTime() - runningSince.getTime() : 0);
    ongoing = cycle(start, total, resolution.goalMillis, now, undefined, paused);
  }
  const resolutionView: SlaView = {
    id: resolution.id,
    name: resolution.name,
    completedCycles: completed,
    ...(ongoing ? { ongoingCycle: ongoing } : {}),
  };
  return [responseView, resolutionView];
}

/** The SLA metrics of a request already known visible. */
export async function slaOf(db: AppServices['db'], request: RequestRow, now: Date): Promise<SlaView[]> {
  const rows = await listAllStatusChanges(db, request.id);
  const history: StatusEntry[] =
    rows.length > 0
      ? rows.map((r) => ({ status: r.status as RequestStatus, at: r.changedAt }))
      : [{ status: request.status, at: request.createdAt }];
  return computeSla(history, now);
}

/**
 * The SLA metrics of a visible request (both kinds of caller see them, as JSM shows customers none but the
 * API answers anyone who can see the request).
 * @throws {AppError} `servicedesk.request_not_found`
 */
export async function getRequestSla(
  ctx: UseCaseContext<DeskTenant>,
  issueIdOrKey: string,
): Promise<{ request: RequestRow; metrics: SlaView[] }> {
  const { services } = ctx;
  const { request } = await getRequest(ctx, issueIdOrKey);
  return { request, metrics: await slaOf(services.db, request, services.clock.now()) };
}

/**
 * One SLA metric of a visible request.
 * @throws {AppError} `servicedesk.request_not_found`, `request.not_found` for an unknown metric id
 */
export async function getRequestSlaMetric(
  ctx: UseCaseContext<DeskTenant>,
  input: { issueIdOrKey: string; metricId: number },
): Promise<{ request: RequestRow; metric: SlaView }> {
  const { request, metrics } = await getRequestSla(ctx, input.issueIdOrKey);
  const metric = metrics.find((m) => m.id === input.metricId);
  if (!metric) throw new AppError('request.not_found', `No SLA metric ${input.metricId}.`);
  return { request, metric };
}
