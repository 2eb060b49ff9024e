import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './env.ts';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has the documented defaults for an empty environment', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      MAIL_TRANSPORT: 'outbox',
      LOG_LEVEL: 'info',
      ROLE: 'all',
      SEED_DEMO: true,
      BASE_URL: 'http://127.0.0.1:8080',
      COOKIE_SECURE: false,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.SMTP_URL).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    const config = parseConfig({ PORT: '', DATABASE_URL: '', ROLE: '' });
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.ROLE).toBe('all');
  });

  it('derives BASE_URL from HOST and PORT, strips a trailing slash, and marks https cookies secure', () => {
    expect(parseConfig({ HOST: '0.0.0.0', PORT: '9000' }).BASE_URL).toBe('http://0.0.0.0:9000');
    const https = parseConfig({ BASE_URL: 'https://desk.example.com/' });
    expect(https.BASE_URL).toBe('https://desk.example.com');
    expect(https.COOKIE_SECURE).toBe(true);
    expect(parseConfig({ BASE_URL: 'https://desk.example.com', COOKIE_SECURE: 'false' }).COOKIE_SECURE).toBe(
      false,
    );
  });

  it('accepts a full valid environment', () => {
    const config = parseConfig({
      PORT: '3000',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/gatehouse',
      DATABASE_URL: 'postgresql://app:secret@db:5432/gatehouse',
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      LOG_LEVEL: 'warn',
      ROLE: 'worker',
      SEED_DEMO: 'false',
    });
    expect(config).toMatchObject({ PORT: 3000, ROLE: 'worker', MAIL_TRANSPORT: 'smtp', SEED_DEMO: false });
  });

  it('lists every bad value at once, naming each variable', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://localhost/db',
      BASE_URL: 'not a url',
      MAIL_TRANSPORT: 'pigeon',
      LOG_LEVEL: 'loud',
      ROLE: 'everything',
      SEED_DEMO: 'yes',
    });
    const variables = problems.map((p) => p.split(':')[0]);
    expect(variables.sort()).toEqual(
      ['BASE_URL', 'DATABASE_URL', 'LOG_LEVEL', 'MAIL_TRANSPORT', 'PORT', 'ROLE', 'SEED_DEMO'].sort(),
    );
    expect(problems.find((p) => p.startsWith('DATABASE_URL'))).toContain('postgres://');
  });

  it('rejects a port out of range', () => {
    expect(problemsOf({ PORT: '70000' })[0]).toMatch(/^PORT: /);
    expect(problemsOf({ PORT: '-1' })[0]).toMatch(/^PORT: /);
  });

  it('requires SMTP_URL when MAIL_TRANSPORT=smtp, and checks its scheme', () => {
    expect(problemsOf({ MAIL_TRANSPORT: 'smtp' })).toEqual([
      'SMTP_URL: is required when MAIL_TRANSPORT=smtp',
    ]);
    expect(problemsOf({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'http://mail' })[0]).toMatch(/^SMTP_URL: .*smtp/);
  });

  it('makes the message of ConfigError list each problem on its own line', () => {
    const error = (() => {
      try {
        parseConfig({ PORT: 'x', ROLE: 'y' });
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(error?.message.split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}- PORT: /),
      expect.stringMatching(/^ {2}- ROLE: /),
    ]);
  });
});

describe('gatehouse serve with a bad environment', () => {
  it('exits non-zero before opening anything and lists every problem', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-env-'));
    try {
      const result = spawnSync(process.execPath, ['bin/gatehouse.js', 'serve'], {
        env: {
          PATH: process.env.PATH,
          DATA_DIR: dataDir,
          PORT: 'not-a-port',
          ROLE: 'sometimes',
          MAIL_TRANSPORT: 'smtp',
        },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('Invalid configuration');
      for (const variable of ['PORT', 'ROLE', 'SMTP_URL']) expect(result.stderr).toContain(`- ${variable}:`);
      expect(result.stdout).not.toContain('Gatehouse is running');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
