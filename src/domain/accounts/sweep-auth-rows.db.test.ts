import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFailures, authTokens, pendingSignUps, rateLimits, sessions } from '#src/db/schema/index.ts';
import { unique } from '#src/test/factories/directory.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: true });
});
afterAll(() => server.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Rows that are dead and rows that still count, of every swept kind; returns the ids of each group. */
async function seed() {
  const now = Date.now();
  const at = (offset: number) => new Date(now + offset);
  const id = () => unique('sweep-');
  const dead = { sessions: [id()], tokens: [id(), id()], limits: [id()], failures: [id()], signUps: [id()] };
  const live = {
    sessions: [id()],
    tokens: [id(), id(), id()],
    limits: [id()],
    failures: [id(), id()],
    signUps: [id()],
  };
  const session = (sid: string, expiresAt: Date) => ({
    id: sid,
    kind: 'account' as const,
    csrfToken: 'x',
    expiresAt,
  });
  await server.services.db
    .insert(sessions)
    .values([session(dead.sessions[0]!, at(-HOUR)), session(live.sessions[0]!, at(HOUR))]);
  const token = (tid: string, expiresAt: Date, usedAt: Date | null) => ({
    id: tid,
    tokenHash: tid,
    purpose: 'reset_password' as const,
    email: 'a@b.test',
    expiresAt,
    usedAt,
  });
  await server.services.db.insert(authTokens).values([
    token(dead.tokens[0]!, at(DAY), at(-8 * DAY)), // used 8 days ago
    token(dead.tokens[1]!, at(-8 * DAY), null), // expired 8 days ago
    token(live.tokens[0]!, at(DAY), null), // still usable
    token(live.tokens[1]!, at(DAY), at(-DAY)), // used yesterday: still answers "already used"
    token(live.tokens[2]!, at(-DAY), null), // expired yesterday: still answers "expired"
  ]);
  await server.services.db.insert(rateLimits).values([
    { key: dead.limits[0]!, windowStart: at(-10 * 60_000), count: 5 },
    { key: live.limits[0]!, windowStart: at(-10_000), count: 5 },
  ]);
  await server.services.db.insert(authFailures).values([
    { subject: dead.failures[0]!, failures: 3, updatedAt: at(-HOUR) },
    { subject: live.failures[0]!, failures: 3, updatedAt: at(-60_000) },
    { subject: live.failures[1]!, failures: 10, lockedUntil: at(10 * 60_000), updatedAt: at(-HOUR) },
  ]);
  const signUp = (sid: string, createdAt: Date) => ({
    id: sid,
    email: `${sid}@example.test`,
    name: 'S',
    passwordHash: '$argon2id$v=19$m=1024,t=2,p=1$x$y',
    createdAt,
  });
  await server.services.db.insert(pendingSignUps).values([
    signUp(dead.signUps[0]!, at(-2 * DAY)), // its job gave up long ago
    signUp(live.signUps[0]!, at(-60_000)), // its job may still run
  ]);
  return { dead, live };
}

async function present(ids: {
  sessions: string[];
  tokens: string[];
  limits: string[];
  failures: string[];
  signUps: string[];
}) {
  const db = server.services.db;
  return {
    sessions: (await db.select({ id: sessions.id }).from(sessions).where(inArray(sessions.id, ids.sessions)))
      .length,
    tokens: (
      await db.select({ id: authTokens.id }).from(authTokens).where(inArray(authTokens.id, ids.tokens))
    ).length,
    limits: (
      await db.select({ k: rateLimits.key }).from(rateLimits).where(inArray(rateLimits.key, ids.limits))
    ).length,
    failures: (
      await db
        .select({ s: authFailures.subject })
        .from(authFailures)
        .where(inArray(authFailures.subject, ids.failures))
    ).length,
    signUps: (
      await db
        .select({ id: pendingSignUps.id })
        .from(pendingSignUps)
        .where(inArray(pendingSignUps.id, ids.signUps))
    ).length,
  };
}

describe('accounts.sweep', () => {
  it('is scheduled with pg-boss at boot', async () => {
    const schedules = await server.runtime.boss.getSchedules('accounts.sweep');
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({ name: 'accounts.sweep', cron: '17 * * * *' });
  });

  it('run by a worker, deletes the dead rows of every kind and keeps the ones that still count', async () => {
    const { dead, live } = await seed();
    expect(await present(dead)).toEqual({ sessions: 1, tokens: 2, limits: 1, failures: 1, signUps: 1 });
    await server.services.queue.enqueue('accounts.sweep', {});
    await expect
      .poll(() => present(dead), { timeout: 20_000, interval: 200 })
      .toEqual({ sessions: 0, tokens: 0, limits: 0, failures: 0, signUps: 0 });
    expect(await present(live)).toEqual({ sessions: 1, tokens: 3, limits: 1, failures: 2, signUps: 1 });
  });
});
