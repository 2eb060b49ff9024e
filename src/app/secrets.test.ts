import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSecrets } from './secrets.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-secrets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('generated secrets', () => {
  it('generates a session secret once, keeps it in DATA_DIR (owner-only), and reuses it', () => {
    const DATA_DIR = join(root, 'fresh');
    const first = loadSecrets({ DATA_DIR, SESSION_SECRET: undefined });
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    const file = join(DATA_DIR, 'secrets.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ sessionSecret: first.sessionSecret });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecrets({ DATA_DIR, SESSION_SECRET: undefined })).toEqual(first);
  });

  it('uses SESSION_SECRET from the environment and writes nothing', () => {
    const DATA_DIR = join(root, 'from-env');
    const secret = 's'.repeat(40);
    expect(loadSecrets({ DATA_DIR, SESSION_SECRET: secret })).toEqual({ sessionSecret: secret });
    expect(() => statSync(join(DATA_DIR, 'secrets.json'))).toThrow();
  });

  it('replaces an unreadable secrets file with a fresh secret', () => {
    const DATA_DIR = join(root, 'broken');
    const first = loadSecrets({ DATA_DIR, SESSION_SECRET: undefined });
    writeFileSync(join(DATA_DIR, 'secrets.json'), JSON.stringify({ sessionSecret: 'short' }));
    const second = loadSecrets({ DATA_DIR, SESSION_SECRET: undefined });
    expect(second.sessionSecret).not.toBe(first.sessionSecret);
    expect(second.sessionSecret.length).toBeGreaterThanOrEqual(32);
  });
});
