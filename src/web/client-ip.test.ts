import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#src/app/create-app.ts';
import { ConfigError, parseConfig } from '#src/config/env.ts';
import { setAuthLimits } from '#src/domain/accounts/auth-guard.ts';
import { buildTenant } from '#src/test/factories/directory.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { resolveClientIp } from './client-ip.ts';

describe('resolveClientIp', () => {
  it('ignores X-Forwarded-For unless the peer is a trusted proxy (TRUST_PROXY off by default)', () => {
    expect(resolveClientIp('127.0.0.1', '203.0.113.9', [])).toBe('127.0.0.1');
    expect(resolveClientIp('::ffff:127.0.0.1', '203.0.113.9', [])).toBe('127.0.0.1');
    expect(resolveClientIp('198.51.100.1', '203.0.113.9', ['127.0.0.1'])).toBe('198.51.100.1');
  });

  it('takes the rightmost address not added by a trusted proxy, so a client cannot prepend one', () => {
    const trusted = ['127.0.0.1', '10.0.0.0/8'];
    expect(resolveClientIp('127.0.0.1', '203.0.113.9', trusted)).toBe('203.0.113.9');
    expect(resolveClientIp('127.0.0.1', '1.1.1.1, 203.0.113.9', trusted)).toBe('203.0.113.9');
    expect(resolveClientIp('127.0.0.1', '203.0.113.9, 10.1.2.3', trusted)).toBe('203.0.113.9');
    expect(resolveClientIp('127.0.0.1', 'garbage, 203.0.113.9', trusted)).toBe('203.0.113.9');
    expect(resolveClientIp('127.0.0.1', '203.0.113.9, not-an-ip', trusted)).toBe('127.0.0.1');
    expect(resolveClientIp('::1', '2001:db8::7', ['::1'])).toBe('2001:db8::7');
  });

  it('parses TRUST_PROXY: off, addresses and CIDRs; anything else stops the start', () => {
    expect(parseConfig({}).TRUST_PROXY).toEqual([]);
    expect(parseConfig({ TRUST_PROXY: 'off' }).TRUST_PROXY).toEqual([]);
    expect(parseConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).TRUST_PROXY).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
    ]);
    for (const bad of ['yes', '10.0.0.0/33', '127.0.0.1/8/1', 'localhost']) {
      expect(() => parseConfig({ TRUST_PROXY: bad })).toThrow(ConfigError);
    }
  });
});

describe('per-IP login limit over a real socket from a loopback peer', () => {
  let server: TestServer;
  const listeners: Array<ReturnType<typeof serve>> = [];
  const urls: Record<'off' | 'trusted', string> = { off: '', trusted: '' };
  let restoreLimits: () => void;

  async function listen(app: ReturnType<typeof createApp>): Promise<string> {
    return new Promise((resolve) => {
      const http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
        resolve(`http://127.0.0.1:${info.port}`),
      );
      listeners.push(http);
    });
  }

  beforeAll(async () => {
    server = await createTestServer({ workers: false, env: { TRUST_PROXY: 'off' } });
    urls.off = await listen(server.app);
    const trustingConfig = Object.freeze({ ...server.services.config, TRUST_PROXY: ['127.0.0.1'] });
    urls.trusted = await listen(createApp({ ...server.services, config: trustingConfig }));
    // A frozen clock keeps every attempt in one fixed rate-limit window.
    const frozen = new Date('2026-11-29T10:00:10Z');
    server.services.clock = { now: () => frozen };
    restoreLimits = setAuthLimits({ loginPerIp: 3 });
  });

  afterAll(async () => {
    restoreLimits();
    for (const http of listeners) await new Promise<void>((resolve) => http.close(() => resolve()));
    await server.close();
  });

  /** One failed login through the API, the console and the portal (each a different spoofed address). */
  async function attempts(base: string, site: string, prefix: string): Promise<number[]> {
    const statuses: number[] = [];
    const calls: Array<[string, Record<string, string>, string]> = [
      [
        '/rest/auth/1/login',
        { 'content-type': 'application/json' },
        '{"email":"nobody@x.test","password":"p"}',
      ],
      [
        '/admin/login',
        { 'content-type': 'application/x-www-form-urlencoded' },
        'email=nobody%40x.test&password=p',
      ],
      [
        `/sites/${site}/portal/login`,
        { 'content-type': 'application/x-www-form-urlencoded' },
        'email=n%40x.test&password=p',
      ],
    ];
    let n = 0;
    for (const [path, headers, body] of calls) {
      for (let i = 0; i < 2; i++) {
        n += 1;
        const response = await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { ...headers, 'x-forwarded-for': `${prefix}.${n}` },
          body,
          redirect: 'manual',
        });
        statuses.push(response.status);
      }
    }
    return statuses;
  }

  it('with TRUST_PROXY off a spoofed X-Forwarded-For does not escape the limit, on every login', async () => {
    const { site } = await buildTenant(server.services);
    const statuses = await attempts(urls.off, site.name, '203.0.113');
    // One address (the loopback peer) for all six: the 4th attempt on is refused, whatever the header said.
    expect(statuses.slice(0, 3).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
  });

  it('behind a trusted proxy each forwarded client has its own limit', async () => {
    const { site } = await buildTenant(server.services);
    const statuses = await attempts(urls.trusted, site.name, '198.51.100');
    expect(statuses).not.toContain(429);
  });
});
