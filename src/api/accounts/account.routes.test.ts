import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rowsOf } from '#src/db/queries/raw-rows.ts';
import { accounts, auditEvents, authFailures, authTokens, pendingSignUps } from '#src/db/schema/index.ts';
import { setAuthLimits } from '#src/domain/accounts/auth-guard.ts';
import { loginAs, sessionCookieOf } from '#src/test/factories/accounts.ts';
import { buildAccount, TEST_PASSWORD, unique } from '#src/test/factories/directory.ts';
import { runQueuedJobs } from '#src/test/helpers/jobs.ts';
import { extractToken, lastMailTo } from '#src/test/helpers/outbox.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

const NEW_PASSWORD = 'a fresh and long passphrase';
let ipCounter = 0;
/** A distinct client address per call, so the per-IP limit does not interfere with other tests. */
const ip = () => ({ 'x-forwarded-for': `203.0.113.${++ipCounter % 250}` });

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return server.request('POST', path, { body, headers: { ...ip(), ...headers } });
}

async function eventsOf(accountId: string) {
  return server.services.db.select().from(auditEvents).where(eq(auditEvents.targetId, accountId));
}

describe('sign-up and email verification', () => {
  it('creates an unverified account, mails a single-use link, and lets it log in once verified', async () => {
    const email = `${unique('signup')}@example.test`;
    const signup = await post('/rest/auth/1/signup', {
      email,
      name: 'Ada Lovelace',
      password: TEST_PASSWORD,
    });
    expect(signup.status).toBe(202);
    // The account and its mail are made by the job the request queued (same work for known and unknown emails).
    expect(await runQueuedJobs(server, 'accounts.complete-sign-up')).toBe(1);
    const early = await post('/rest/auth/1/login', { email, password: TEST_PASSWORD });
    expect(early.status).toBe(403);
    expect((await early.json()).code).toBe('auth.email_unverified');

    const mail = await lastMailTo(server.services, email, 'verify_email');
    expect(mail.text).toContain('http://gatehouse.test/verify-email?token=');
    const token = extractToken(mail);
    const verified = await post('/rest/auth/1/verify-email', { token });
    expect(verified.status).toBe(200);
    expect((await verified.json()).emailVerified).toBe(true);
    const again = await post('/rest/auth/1/verify-email', { token });
    expect(again.status).toBe(400);
    expect((await again.json()).code).toBe('auth.token_used');

    const session = await loginAs(server, email, TEST_PASSWORD);
    const profile = await server.request('GET', '/rest/auth/1/profile', { headers: session.read });
    expect(await profile.json()).toMatchObject({ email, name: 'Ada Lovelace', emailVerified: true });
  });

  it('answers the same for an email that already has an account, and mails its owner instead', async () => {
    const owner = await buildAccount(server.services);
    const fresh = await post('/rest/auth/1/signup', {
      email: `${unique('new')}@example.test`,
      name: 'New',
      password: TEST_PASSWORD,
    });
    const taken = await post('/rest/auth/1/signup', {
      email: owner.email,
      name: 'X',
      password: TEST_PASSWORD,
    });
    expect(taken.status).toBe(fresh.status);
    expect(await taken.json()).toEqual(await fresh.json());
    expect(await runQueuedJobs(server, 'accounts.complete-sign-up')).toBe(2);
    expect((await lastMailTo(server.services, owner.email)).kind).toBe('signup_existing');
  });

  it('keeps the password hash out of the job queue: the job names a pending sign-up, deleted as it completes', async () => {
    const { db } = server.services;
    const email = `${unique('pending')}@example.test`;
    expect((await post('/rest/auth/1/signup', { email, name: 'P', password: TEST_PASSWORD })).status).toBe(
      202,
    );
    const [pending] = await db.select().from(pendingSignUps).where(eq(pendingSignUps.email, email));
    expect(pending?.passwordHash).toMatch(/^\$argon2id\$/);
    const jobs = rowsOf<{ data: unknown }>(
      await db.execute(sql`select data from pgboss.job where name = 'accounts.complete-sign-up'
        and data->>'pendingSignUpId' = ${pending!.id}`),
    );
    expect(jobs).toEqual([{ data: { pendingSignUpId: pending!.id } }]);

    expect(await runQueuedJobs(server, 'accounts.complete-sign-up')).toBe(1);
    expect(await db.select().from(pendingSignUps).where(eq(pendingSignUps.email, email))).toEqual([]);
    const [account] = await db.select().from(accounts).where(eq(accounts.email, email));
    expect(account?.passwordHash).toBe(pending!.passwordHash);
  });

  it('completes a sign-up queued before pending sign-ups existed (its job carries the hash)', async () => {
    const email = `${unique('legacy')}@example.test`;
    const passwordHash = await server.services.passwords.hash(TEST_PASSWORD);
    await server.services.queue.enqueue('accounts.complete-sign-up', {
      email,
      name: 'L',
      passwordHash,
      ip: null,
    });
    expect(await runQueuedJobs(server, 'accounts.complete-sign-up')).toBe(1);
    expect((await lastMailTo(server.services, email, 'verify_email')).to).toBe(email);
  });

  it('refuses short, overlong and common passwords with a clear code, creating nothing', async () => {
    for (const password of ['short pw', 'x'.repeat(257), 'qwerty123456', '1q2w3e4r5t6y']) {
      const email = `${unique('weak')}@example.test`;
      const response = await post('/rest/auth/1/signup', { email, name: 'W', password });
      expect(response.status, password).toBe(400);
      expect((await response.json()).code).toBe('auth.weak_password');
      expect(await runQueuedJobs(server, 'accounts.complete-sign-up')).toBe(0);
      await expect(lastMailTo(server.services, email)).rejects.toThrow();
    }
    const invalid = await post('/rest/auth/1/signup', {
      email: 'not-an-email',
      name: 'W',
      password: TEST_PASSWORD,
    });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).code).toBe('request.invalid_input');
  });

  it('refuses an expired verification token and leaves the account unverified', async () => {
    const email = `${unique('exp')}@example.test`;
    await post('/rest/auth/1/signup', { email, name: 'E', password: TEST_PASSWORD });
    await runQueuedJobs(server, 'accounts.complete-sign-up');
    const token = extractToken(await lastMailTo(server.services, email, 'verify_email'));
    await server.services.db
      .update(authTokens)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(authTokens.email, email));
    const response = await post('/rest/auth/1/verify-email', { token });
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe('auth.token_expired');
    expect((await post('/rest/auth/1/login', { email, password: TEST_PASSWORD })).status).toBe(403);
  });
});

describe('login and logout', () => {
  it('gives the same status and body for an unknown email and a wrong password', async () => {
    const account = await buildAccount(server.services);
    const unknown = await post('/rest/auth/1/login', {
      email: `${unique('nobody')}@example.test`,
      password: 'whatever it is here',
    });
    const wrong = await post('/rest/auth/1/login', { email: account.email, password: 'whatever it is here' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
    const actions = (await eventsOf(account.id)).map((e) => e.action);
    expect(actions).toContain('auth.login_failed');
  });

  it('sets an HttpOnly SameSite=Lax cookie, rotates the session at login, and records the login with its IP', async () => {
    const account = await buildAccount(server.services);
    const first = await loginAs(server, account.email, TEST_PASSWORD, { ip: '192.0.2.44' });
    const response = await post(
      '/rest/auth/1/login',
      { email: account.email, password: TEST_PASSWORD },
      { cookie: `gh_session=${first.cookie}` },
    );
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/);
    const second = sessionCookieOf(response)!;
    expect(second).not.toBe(first.cookie);
    expect((await server.request('GET', '/rest/auth/1/profile', { headers: first.read })).status).toBe(401);
    const ok = await server.request('GET', '/rest/auth/1/profile', {
      headers: { cookie: `gh_session=${second}` },
    });
    expect(ok.status).toBe(200);
    const success = (await eventsOf(account.id)).find((e) => e.action === 'auth.login_succeeded');
    expect(success?.ip).toBe('192.0.2.44');
  });

  it('refuses inactive and closed accounts even with the right password', async () => {
    for (const status of ['inactive', 'closed'] as const) {
      const account = await buildAccount(server.services);
      await server.services.db.execute(sql`update accounts set status = ${status} where id = ${account.id}`);
      const response = await post('/rest/auth/1/login', { email: account.email, password: TEST_PASSWORD });
      expect(response.status).toBe(403);
      expect((await response.json()).code).toBe('auth.forbidden');
    }
  });

  it('logs out only with the CSRF token, and the cookie stops working', async () => {
    const account = await buildAccount(server.services);
    const session = await loginAs(server, account.email, TEST_PASSWORD);
    const noCsrf = await server.request('POST', '/rest/auth/1/logout', { headers: session.read });
    expect(noCsrf.status).toBe(403);
    expect((await noCsrf.json()).code).toBe('auth.csrf_failed');
    const out = await server.request('POST', '/rest/auth/1/logout', { headers: session.write });
    expect(out.status).toBe(204);
    expect((await server.request('GET', '/rest/auth/1/profile', { headers: session.read })).status).toBe(401);
  });

  it('locks an account at exactly 10 failures under 50 parallel attempts, checking no password after that', async () => {
    const account = await buildAccount(server.services);
    const verify = vi.spyOn(server.services.passwords, 'verify');
    verify.mockClear();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        post('/rest/auth/1/login', { email: account.email, password: 'wrong password!!' }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 423)).toHaveLength(40);
    expect(verify).toHaveBeenCalledTimes(10);
    const [row] = await server.services.db
      .select()
      .from(authFailures)
      .where(eq(authFailures.subject, `account:${account.id}`));
    expect(row?.failures).toBe(10);
    expect(row?.lockedUntil).toBeInstanceOf(Date);
    // Even the right password is not checked while locked.
    const locked = await post('/rest/auth/1/login', { email: account.email, password: TEST_PASSWORD });
    expect(locked.status).toBe(423);
    expect((await locked.json()).code).toBe('auth.locked');
    expect(verify).toHaveBeenCalledTimes(10);
    verify.mockRestore();
    const actions = (await eventsOf(account.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'auth.login_failed')).toHaveLength(10);
    expect(actions.filter((a) => a === 'auth.locked')).toHaveLength(1);
  });

  it('unlocks when the lock expires, and forgets failures after a successful login', async () => {
    const account = await buildAccount(server.services);
    const restore = setAuthLimits({ maxFailures: 3 });
    try {
      for (let i = 0; i < 3; i++) {
        expect(
          (await post('/rest/auth/1/login', { email: account.email, password: 'wrong password!!' })).status,
        ).toBe(401);
      }
      expect(
        (await post('/rest/auth/1/login', { email: account.email, password: TEST_PASSWORD })).status,
      ).toBe(423);
      await server.services.db
        .update(authFailures)
        .set({ lockedUntil: sql`now() - interval '1 second'` })
        .where(eq(authFailures.subject, `account:${account.id}`));
      await loginAs(server, account.email, TEST_PASSWORD);
      const rows = await server.services.db
        .select()
        .from(authFailures)
        .where(eq(authFailures.subject, `account:${account.id}`));
      expect(rows).toEqual([]);
    } finally {
      restore();
    }
  });

  it('locks unknown emails the same way, so a lock tells nothing about which emails exist', async () => {
    const restore = setAuthLimits({ maxFailures: 2 });
    try {
      const email = `${unique('ghost')}@example.test`;
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await post('/rest/auth/1/login', { email, password: 'wrong password!!' })).status);
      expect(statuses).toEqual([401, 401, 423]);
    } finally {
      restore();
    }
  });

  it('answers 429 after too many attempts from one address', async () => {
    const restore = setAuthLimits({ loginPerIp: 3 });
    // The window is fixed (aligned to the minute): a frozen clock keeps all five attempts in one window.
    const realClock = server.services.clock;
    const frozen = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 30_000);
    server.services.clock = { now: () => frozen };
    try {
      const headers = { 'x-forwarded-for': '198.18.0.99' };
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await server.request('POST', '/rest/auth/1/login', {
          body: { email: `${unique('rl')}@example.test`, password: 'not the password' },
          headers,
        });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      server.services.clock = realClock;
      restore();
    }
  });
});

describe('password reset and change', () => {
  it('resets with the mailed token, ends every session, unlocks, and refuses reuse', async () => {
    const account = await buildAccount(server.services);
    const session = await loginAs(server, account.email, TEST_PASSWORD);
    const unknown = await post('/rest/auth/1/password-reset/request', {
      email: `${unique('n')}@example.test`,
    });
    const known = await post('/rest/auth/1/password-reset/request', { email: account.email });
    expect(known.status).toBe(202);
    expect(await known.json()).toEqual(await unknown.json());
    // The lookup and the mail happen in the job, off the request path.
    expect(await runQueuedJobs(server, 'accounts.send-reset-mail')).toBeGreaterThanOrEqual(2);
    const mail = await lastMailTo(server.services, account.email, 'reset_password');
    expect(mail.text).toContain('http://gatehouse.test/reset-password?token=');
    const token = extractToken(mail);

    const weak = await post('/rest/auth/1/password-reset', { token, password: 'password1234' });
    expect(weak.status).toBe(400);
    expect((await weak.json()).code).toBe('auth.weak_password');
    const reset = await post('/rest/auth/1/password-reset', { token, password: NEW_PASSWORD });
    expect(reset.status).toBe(204);
    expect((await server.request('GET', '/rest/auth/1/profile', { headers: session.read })).status).toBe(401);
    const reuse = await post('/rest/auth/1/password-reset', { token, password: 'yet another passphrase' });
    expect(reuse.status).toBe(400);
    expect((await reuse.json()).code).toBe('auth.token_used');
    await loginAs(server, account.email, NEW_PASSWORD);
    expect((await post('/rest/auth/1/login', { email: account.email, password: TEST_PASSWORD })).status).toBe(
      401,
    );
  });

  it('refuses an unknown token and an expired one', async () => {
    const account = await buildAccount(server.services);
    await post('/rest/auth/1/password-reset/request', { email: account.email });
    await runQueuedJobs(server, 'accounts.send-reset-mail');
    const token = extractToken(await lastMailTo(server.services, account.email, 'reset_password'));
    await server.services.db
      .update(authTokens)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(authTokens.accountId, account.id));
    const expired = await post('/rest/auth/1/password-reset', { token, password: NEW_PASSWORD });
    expect((await expired.json()).code).toBe('auth.token_expired');
    const unknown = await post('/rest/auth/1/password-reset', {
      token: 'x'.repeat(43),
      password: NEW_PASSWORD,
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).code).toBe('auth.token_invalid');
    await loginAs(server, account.email, TEST_PASSWORD);
  });

  it('changes the password with the current one and ends every other session', async () => {
    const account = await buildAccount(server.services);
    const mine = await loginAs(server, account.email, TEST_PASSWORD);
    const other = await loginAs(server, account.email, TEST_PASSWORD);
    const wrong = await server.request('POST', '/rest/auth/1/password', {
      headers: mine.write,
      body: { currentPassword: 'not my password', newPassword: NEW_PASSWORD },
    });
    expect(wrong.status).toBe(403);
    const changed = await server.request('POST', '/rest/auth/1/password', {
      headers: mine.write,
      body: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(changed.status).toBe(200);
    expect((await changed.json()).sessionsEnded).toBe(1);
    expect((await server.request('GET', '/rest/auth/1/profile', { headers: mine.read })).status).toBe(200);
    expect((await server.request('GET', '/rest/auth/1/profile', { headers: other.read })).status).toBe(401);
    expect((await eventsOf(account.id)).map((e) => e.action)).toContain('auth.password_changed');
    const anonymous = await post('/rest/auth/1/password', {
      currentPassword: NEW_PASSWORD,
      newPassword: TEST_PASSWORD,
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('profile', () => {
  it('reads and updates name, time zone and locale; validates them; 401 when anonymous', async () => {
    const account = await buildAccount(server.services);
    const session = await loginAs(server, account.email, TEST_PASSWORD);
    expect((await server.request('GET', '/rest/auth/1/profile')).status).toBe(401);
    const patched = await server.request('PATCH', '/rest/auth/1/profile', {
      headers: session.write,
      body: { name: 'Grace Hopper', timeZone: 'Europe/Paris', locale: 'fr-FR' },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      name: 'Grace Hopper',
      timeZone: 'Europe/Paris',
      locale: 'fr-FR',
    });
    const bad = await server.request('PATCH', '/rest/auth/1/profile', {
      headers: session.write,
      body: { timeZone: 'Mars/Olympus' },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).details[0].path).toBe('timeZone');
    const unknownField = await server.request('PATCH', '/rest/auth/1/profile', {
      headers: session.write,
      body: { email: 'x@example.test' },
    });
    expect(unknownField.status).toBe(400);
  });
});
